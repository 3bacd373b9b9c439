// What in .env is probably a mistake but not an error: a name set twice (the last line wins, silently), a
// name Foundation does not read that is one or two letters away from one it does (GRAFANA_ADMIN_PASWORD),
// an unquoted value with a # inside it (read only up to the #).
// Names far from every setting are left alone: .env may hold a service's own variables too.
import { closest, distance } from 'fastest-levenshtein';
import type { EnvEntry } from './env-file.js';

/** Names read by prefix (HELM_REPO_<alias>): never "unknown". */
const PREFIXES = ['HELM_REPO_'];

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
    if (known.length === 0 || names.has(name) || PREFIXES.some((p) => name.startsWith(p))) continue;
    const best = closest(name, known);
    if (distance(name, best) <= 2)
      warnings.push(
        `${name} (.env line ${entry.line}) is not a setting Foundation reads: did you mean ${best}?`,
      );
  }
  return warnings;
}
