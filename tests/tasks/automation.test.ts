import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderMakefile, renderTaskfile } from '../../lib/automation/render.js';
import { ALL_TARGETS } from '../../lib/automation/targets.js';
import type { CompletionShell, InstalledCompletion } from '../../lib/ports/automation.js';
import automation from '../../tasks/11-automation.js';
import { homeFolder } from '../../lib/adapters/automation.js';
import { fakeCiTools } from '../helpers/fake-ports.js';
import { fakeContext, runOne } from '../helpers/fixtures.js';

const TASKFILE = join('/pkg', 'Taskfile.yml');
const MAKEFILE = join('/pkg', 'Makefile');

function world(
  opts: { files?: Record<string, string>; goTask?: boolean; installed?: InstalledCompletion[] } = {},
) {
  const fileMap = new Map(
    Object.entries(
      opts.files ?? { [TASKFILE]: renderTaskfile(ALL_TARGETS), [MAKEFILE]: renderMakefile(ALL_TARGETS) },
    ),
  );
  const ci = fakeCiTools({ installed: opts.goTask === false ? [] : ['task'] });
  const installed = [...(opts.installed ?? [])];
  const written: string[] = [];
  const ctx = fakeContext({
    fileMap,
    ci,
    automation: {
      completion: (shell: CompletionShell) => `# ${shell} completion v2\n`,
      installedCompletions: () => Promise.resolve(installed),
      writeCompletion: (shell, content) => {
        written.push(shell);
        const i = installed.findIndex((c) => c.shell === shell);
        const path = `/home/dev/${shell}`;
        installed.splice(i, 1, { shell, path, content });
        return Promise.resolve(path);
      },
    },
  });
  return { ctx, ci, fileMap, written };
}

describe('task 0-11 automation', () => {
  it('converged: both files as rendered, go-task found, no completion installed (said how)', async () => {
    const r = await automation.check(world().ctx);
    assert.equal(r.status, 'ok');
    assert.match(
      r.status === 'ok' ? (r.detail ?? '') : '',
      /targets in Taskfile\.yml and the Makefile; go-task found; completion: not installed \(foundation completion install\)/,
    );
  });

  it('a Taskfile lacking targets is drift naming them; apply renders both files', async () => {
    const { ctx, fileMap } = world({
      files: { [TASKFILE]: "version: '3'\ntasks:\n  all:\n    cmds: [x]\n" },
    });
    const r = await automation.check(ctx);
    assert.equal(r.status, 'missing');
    assert.match(
      r.status === 'missing' ? r.reason : '',
      /Taskfile\.yml lacks default, up, status.*0-3, redpanda/,
    );
    assert.match(r.status === 'missing' ? r.reason : '', /Makefile is missing/);
    const { result } = await runOne(automation, ctx);
    assert.equal(result?.outcome, 'changed');
    assert.equal(fileMap.get(TASKFILE), renderTaskfile(ALL_TARGETS));
    assert.equal(fileMap.get(MAKEFILE), renderMakefile(ALL_TARGETS));
  });

  it('installs go-task into the tool directory when it is missing, and says how to put it on PATH', async () => {
    const { ctx, ci } = world({ goTask: false });
    const lines: string[] = [];
    const { result } = await runOne(automation, {
      ...ctx,
      log: { info: (l) => lines.push(l), warn: () => undefined, debug: () => undefined },
    });
    assert.equal(result?.outcome, 'changed');
    assert.deepEqual(ci.installs, ['go-task@3.53.1 (pypi)']);
    assert.ok(
      lines.some((l) => /export PATH="\/ws\/\.foundation\/tools\/bin:\$PATH"/.test(l)),
      lines.join('\n'),
    );
  });

  it('an installed completion that no longer matches the CLI is rewritten; a current one is left alone', async () => {
    const { ctx, written } = world({
      installed: [
        { shell: 'zsh', path: '/home/dev/.zfunc/_foundation', content: '# zsh completion v1\n' },
        { shell: 'fish', path: '/home/dev/fish', content: '# fish completion v2\n' },
      ],
    });
    const r = await automation.check(ctx);
    assert.deepEqual(r, {
      status: 'drift',
      reason: 'the zsh completion in /home/dev/.zfunc/_foundation is out of date',
    });
    await runOne(automation, ctx);
    assert.deepEqual(written, ['zsh']);
    assert.match((await automation.check(ctx)).status === 'ok' ? 'ok' : '', /ok/);
  });
});

describe('where completions go: the home folder', () => {
  it('HOME when absolute; empty or relative (files under the current folder) gives the user database’s', () => {
    const db = () => '/home/from-passwd';
    assert.equal(homeFolder('/home/me', db), '/home/me');
    for (const bad of ['', 'relative/home', undefined])
      assert.equal(homeFolder(bad, db), '/home/from-passwd');
  });
});
