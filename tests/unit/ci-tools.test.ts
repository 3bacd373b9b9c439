import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CI_TOOLS, couldNotRun, firstFindings, workflowLintArgs } from '../../lib/ci/tools.js';
import { ROOT } from '../helpers/cli.js';

describe('the CI tools catalogue', () => {
  it('pins the same versions as scripts/test-servers/install (what the tests and CI run)', () => {
    const script = readFileSync(join(ROOT, 'scripts', 'test-servers', 'install'), 'utf8');
    const pinned = (v: string): string => new RegExp(`^${v}=(\\S+)$`, 'm').exec(script)?.[1] ?? `no ${v}`;
    const want: Record<string, string> = {
      actionlint: pinned('ACTIONLINT_VERSION'),
      zizmor: pinned('ZIZMOR_VERSION'),
      gitleaks: pinned('GITLEAKS_VERSION'),
      renovate: pinned('RENOVATE_VERSION'),
      checkov: pinned('CHECKOV_VERSION'),
    };
    assert.deepEqual(Object.fromEntries(CI_TOOLS.map((t) => [t.name, t.version])), want);
  });

  it('every tool says why it is needed and how to install it by hand', () => {
    for (const t of CI_TOOLS) {
      assert.ok(t.why.length > 10, t.name);
      assert.match(t.manual, /install/, t.name);
    }
  });

  it('the workflow linters’ command lines are the ones CI and the tests use', () => {
    assert.deepEqual(workflowLintArgs('actionlint', ['a.yml']), ['-no-color', 'a.yml']);
    assert.deepEqual(workflowLintArgs('zizmor', ['a.yml', 'b.yml']), [
      '--offline',
      '--no-progress',
      '--quiet',
      '--persona=pedantic',
      '--format=plain',
      'a.yml',
      'b.yml',
    ]);
  });

  it('a linter could not run on 126, 127 or a signal; any other exit is its report', () => {
    assert.deepEqual(
      [null, 126, 127, 0, 1, 2, 3, 14].map((code) => couldNotRun(code)),
      [true, true, true, false, false, false, false, false],
    );
  });

  it('a report is cut to its first lines, saying how many more there are', () => {
    const report = Array.from({ length: 9 }, (_, i) => `finding ${i + 1}`).join('\n\n');
    assert.equal(firstFindings(report, 3), 'finding 1\nfinding 2\nfinding 3\n… (6 more lines)');
    assert.equal(firstFindings('one\n  \ntwo\n'), 'one\ntwo');
  });
});
