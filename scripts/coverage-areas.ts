// The parts of the coverage report beyond the totals, as pure functions over plain data: line coverage
// per top folder (lib/, tasks/, scripts/), and the files under lib/ that no test imports directly (a
// file tested only through others). scripts/coverage-summary.ts reads the files and prints them.
import { posix, relative, resolve } from 'node:path';

export interface Figure {
  readonly total: number;
  readonly covered: number;
  readonly pct: number;
}

/** c8's json-summary: `total` and one entry per file (absolute path), each with its figures. */
export type CoverageSummary = Readonly<Record<string, Readonly<Record<string, Figure>>>>;

/** Line coverage summed per top folder of the repository (`lib`, `tasks`, …), in the given order. */
export function linesByFolder(
  summary: CoverageSummary,
  root: string,
  folders: readonly string[],
): { folder: string; covered: number; total: number; pct: number }[] {
  return folders.map((folder) => {
    let covered = 0;
    let total = 0;
    for (const [file, figures] of Object.entries(summary)) {
      if (file === 'total' || relative(root, file).split(/[\\/]/)[0] !== folder) continue;
      covered += figures.lines?.covered ?? 0;
      total += figures.lines?.total ?? 0;
    }
    const pct = total === 0 ? 100 : Math.round((10_000 * covered) / total) / 100;
    return { folder, covered, total, pct };
  });
}

/** The relative modules a source imports with its code (not `import type`), static or dynamic. */
export function codeImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/\b(?:import|export)\s+(type\s+)?[^;'"]*?\bfrom\s+['"](\.[^'"]+)['"]/g))
    if (m[1] === undefined && m[2] !== undefined) found.push(m[2]);
  for (const m of source.matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g))
    if (m[1] !== undefined) found.push(m[1]);
  return found;
}

/**
 * The files (repository-relative, `lib/…/x.ts`) that no test imports directly. `tests`: each test
 * file's repository-relative path and its source; an import of `…/x.js` is the file `…/x.ts`.
 */
export function withoutOwnTest(
  files: readonly string[],
  tests: readonly { path: string; source: string }[],
): string[] {
  const imported = new Set<string>();
  for (const t of tests)
    for (const spec of codeImports(t.source))
      imported.add(posix.normalize(posix.join(posix.dirname(t.path), spec)).replace(/\.js$/, '.ts'));
  return files.filter((f) => !imported.has(f)).sort();
}

/** A file's line coverage in the summary, by its repository-relative path (undefined: not measured). */
export function linePct(summary: CoverageSummary, root: string, file: string): number | undefined {
  return summary[resolve(root, file)]?.lines?.pct;
}
