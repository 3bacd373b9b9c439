// The git adapter: whether a path is ignored or committed, and the pre-commit hooks' state from the hook
// file and the workspace's lefthook.yml (Foundation's secret scan, or gitleaks, in its pre-commit hook).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGit } from '../../lib/adapters/dev-tools.js';
import type { ShellResult } from '../../lib/ports/shell.js';
import { fakeContext } from '../helpers/fixtures.js';
import { ok, scriptedShell } from '../helpers/scripted-shell.js';

const fail = (exitCode: number, stderr: string): ShellResult => ({ exitCode, stdout: '', stderr });

describe('git adapter', () => {
  it('git: ignored / not ignored / not a repository; hooks by the pre-commit file', async () => {
    const fileMap = new Map([
      ['.git/hooks/pre-commit', '# lefthook\n'],
      ['lefthook.yml', 'pre-commit:\n  commands:\n    secrets:\n      run: scripts/hooks/secret-scan\n'],
    ]);
    const ctx = fakeContext({ fileMap });
    const answers = (code: number) =>
      scriptedShell({
        'git check-ignore -q .env': fail(
          code,
          code === 128 ? 'fatal: not a git repository (or any of the parent directories): .git' : '',
        ),
        'git rev-parse --git-path hooks': ok('.git/hooks\n'),
      });
    assert.equal(await createGit(answers(0), ctx.files, ctx.platform).isIgnored('.env'), true);
    assert.equal(await createGit(answers(1), ctx.files, ctx.platform).isIgnored('.env'), false);
    assert.equal(await createGit(answers(128), ctx.files, ctx.platform).isIgnored('.env'), null);
    assert.equal(
      await createGit(scriptedShell({}, []), ctx.files, ctx.platform).isIgnored('.env'),
      null,
      'no git',
    );
    // A git killed (Ctrl+C) or failing otherwise: not known, never taken for "outside a repository".
    for (const killed of [
      { exitCode: null, stdout: '', stderr: '' },
      fail(128, 'fatal: bad config line 1'),
    ]) {
      const git = createGit(scriptedShell({ 'git check-ignore -q .env': killed }), ctx.files, ctx.platform);
      await assert.rejects(git.isIgnored('.env'), { code: 'E_COMMAND_FAILED' });
    }
    const tracked = (code: number) =>
      scriptedShell({ 'git ls-files --error-unmatch -- .env': code === 0 ? ok('.env\n') : fail(code, '') });
    assert.equal(await createGit(tracked(0), ctx.files, ctx.platform).isTracked('.env'), true);
    assert.equal(await createGit(tracked(1), ctx.files, ctx.platform).isTracked('.env'), false);
    assert.equal(await createGit(tracked(128), ctx.files, ctx.platform).isTracked('.env'), false);
    assert.equal(await createGit(answers(0), ctx.files, ctx.platform).hooks(), 'installed');
    // The user's own lefthook.yml: gitleaks named directly is a scan too; none at all is `no-scan`.
    fileMap.set('lefthook.yml', 'pre-commit:\n  commands:\n    leaks:\n      run: gitleaks git --staged\n');
    assert.equal(await createGit(answers(0), ctx.files, ctx.platform).hooks(), 'installed');
    // Which configurations run a scan is lefthook-scan.test.ts's; here, that the adapter asks it.
    fileMap.set('lefthook.yml', 'pre-commit:\n  commands:\n    leaks:\n      run: echo gitleaks\n');
    assert.equal(await createGit(answers(0), ctx.files, ctx.platform).hooks(), 'no-scan');
    fileMap.delete('lefthook.yml');
    assert.equal(await createGit(answers(0), ctx.files, ctx.platform).hooks(), 'missing');
  });
});
