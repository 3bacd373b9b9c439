// The coverage report's extra parts (scripts/coverage-areas.ts), on plain data: line coverage per top
// folder, and which lib/ files no test imports directly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  codeImports,
  linePct,
  linesByFolder,
  withoutOwnTest,
  type CoverageSummary,
} from '../../scripts/coverage-areas.js';

const fig = (covered: number, total: number) => ({
  lines: { covered, total, pct: Math.round((10_000 * covered) / total) / 100 },
});
const SUMMARY: CoverageSummary = {
  total: fig(16, 30),
  '/repo/lib/a.ts': fig(9, 10),
  '/repo/lib/deep/b.ts': fig(1, 10),
  '/repo/tasks/t.ts': fig(6, 6),
  '/repo/scripts/s.ts': fig(0, 4),
};

describe('coverage areas', () => {
  it('sums line coverage per top folder, the total left out', () => {
    assert.deepEqual(linesByFolder(SUMMARY, '/repo', ['lib', 'tasks', 'scripts', 'docs']), [
      { folder: 'lib', covered: 10, total: 20, pct: 50 },
      { folder: 'tasks', covered: 6, total: 6, pct: 100 },
      { folder: 'scripts', covered: 0, total: 4, pct: 0 },
      { folder: 'docs', covered: 0, total: 0, pct: 100 },
    ]);
    assert.equal(linePct(SUMMARY, '/repo', 'lib/deep/b.ts'), 10);
    assert.equal(linePct(SUMMARY, '/repo', 'lib/c.ts'), undefined);
  });

  it('counts code imports, static (one or many lines), re-exports and dynamic; not import type', () => {
    const source = [
      "import { a } from '../../lib/a.js';",
      'import {\n  b,\n  c,\n} from "../../lib/deep/b.js";',
      "import type { T } from '../../lib/types.js';",
      "export { d } from '../../lib/d.js';",
      "const e = await import('../../lib/e.js');",
      "import assert from 'node:assert/strict';",
    ].join('\n');
    assert.deepEqual(codeImports(source), [
      '../../lib/a.js',
      '../../lib/deep/b.js',
      '../../lib/d.js',
      '../../lib/e.js',
    ]);
  });

  it('lists the lib files no test imports directly, sorted', () => {
    const files = ['lib/z.ts', 'lib/a.ts', 'lib/deep/b.ts', 'lib/types.ts', 'lib/only-via-helper.ts'];
    const tests = [
      { path: 'tests/unit/a.test.ts', source: "import { a } from '../../lib/a.js';" },
      {
        path: 'tests/cli/b.test.ts',
        source: "import type { T } from '../../lib/types.js';\nimport { b } from '../../lib/deep/b.js';",
      },
    ];
    assert.deepEqual(withoutOwnTest(files, tests), ['lib/only-via-helper.ts', 'lib/types.ts', 'lib/z.ts']);
  });
});
