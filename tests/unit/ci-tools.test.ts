import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CI_TOOLS, firstFindings, lintOutcome, workflowLintArgs } from '../../lib/ci/tools.js';
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

  it('a linter run: findings by its own exit codes, its own errors, or not run at all', () => {
    const cases: [string, number | null, string, string][] = [
      ['actionlint', 0, '', 'pass'],
      ['actionlint', 1, 'ci.yml:3:5: unknown key', 'findings'],
      ['actionlint', 3, 'could not read file', 'not-checked'],
      ['zizmor', 14, 'error[template-injection]', 'findings'],
      ['zizmor', 3, 'fatal: no audit was performed', 'not-checked'],
      ['renovate-config-validator', 1, 'Config validation errors found', 'findings'],
      [
        'renovate-config-validator',
        1,
        'node:internal/modules/cjs/loader:1228\n  throw err;',
        'could-not-run',
      ],
      ['renovate-config-validator', 1, "Error: Cannot find module 'renovate'", 'could-not-run'],
      ['zizmor', 127, '/usr/bin/env: python3: No such file or directory', 'could-not-run'],
      ['actionlint', 137, '', 'could-not-run'],
      ['actionlint', null, '', 'could-not-run'],
    ];
    for (const [tool, code, output, want] of cases)
      assert.equal(lintOutcome(tool, code, output), want, `${tool} ${String(code)} ${output}`);
  });

  it('a report is cut to its first lines, saying how many more there are', () => {
    const report = Array.from({ length: 9 }, (_, i) => `finding ${i + 1}`).join('\n\n');
    assert.equal(firstFindings(report, 3), 'finding 1\nfinding 2\nfinding 3\n… (6 more lines)');
    assert.equal(firstFindings('one\n  \ntwo\n'), 'one\ntwo');
  });
});
