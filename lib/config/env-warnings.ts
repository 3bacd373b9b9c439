// What in .env is probably a mistake but not an error: a name set twice (the last line wins, silently), a
// name Foundation does not read that is one or two letters away from one it does (GRAFANA_ADMIN_PASWORD),
// an unquoted value with a # inside it (read only up to the #), a HELM_REPO_<alias> no release uses.
// Names far from every setting are left alone: .env may hold a service's own variables too.
import { closest, distance } from 'fastest-levenshtein';
import { CHART_REPOS, repoAlias, repoVariable } from '../helm/chart-source.js';
import type { EnvEntry } from './env-file.js';

/** A HELM_REPO_<alias> setting for a repository no release uses (a typo, or a chart Foundation has not). */
function unusedRepo(name: string, line: number): string | null {
  const alias = repoAlias(name);
  if (CHART_REPOS.includes(alias)) return null;
  const best = closest(alias, [...CHART_REPOS]);
  const meant = distance(alias, best) <= 2 ? `did you mean ${repoVariable(best)}?` : 'it is not read';
  return `${name} (.env line ${line}) names the chart repository "${alias}", which no Foundation release uses (${CHART_REPOS.join(', ')}): ${meant}`;
}

/** The warnings for these .env entries against the names Foundation reads. Pure; never shows a value. */
export function envWarnings(entries: ReadonlyMap<string, EnvEntry>, known: readonly string[]): string[] {
  const names = new Set(known);
  const warnings: string[] = [];
  for (const [name, entry] of entries) {
    if (entry.lines !== undefined) {
      const earlier = entry.lines.slice(0, -1).join(', ');
      warnings.push(`${name} is set on .env lines ${earlier} and ${entry.line}: line ${entry.line} wins`);
    }
    if (entry.cutAtHash === true)
      warnings.push(
        `${name} (.env line ${entry.line}): the value is read only up to its "#", the rest as a comment; quote the value ("…") to keep it whole`,
      );
    if (name.startsWith('HELM_REPO_')) {
      const unused = unusedRepo(name, entry.line);
      if (unused !== null) warnings.push(unused);
      continue;
    }
    if (known.length === 0 || names.has(name)) continue;
    if (names.has(name.toUpperCase())) {
      warnings.push(
        `${name} (.env line ${entry.line}) is not a setting Foundation reads: names are case-sensitive, did you mean ${name.toUpperCase()}?`,
      );
      continue;
    }
    const best = closest(name, known);
    if (distance(name, best) <= 2)
      warnings.push(
        `${name} (.env line ${entry.line}) is not a setting Foundation reads: did you mean ${best}?`,
      );
  }
  return warnings;
}
