// REQ-0.4/AC4 "everything is in git": judged from the workspace against its last commit; and the git
// adapter's answer, from a real repository (untracked, changed, renamed, staged and ignored files).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createGit, porcelainPaths } from '../../lib/adapters/dev-tools.js';
import { createShell } from '../../lib/adapters/shell.js';
import { committedObservations, gitObservations } from '../../lib/validate/git-evidence.js';
import type { Observation } from '../../lib/validate/judge.js';
import { fakeGit } from '../helpers/fake-ports.js';
import { fakeContext } from '../helpers/fixtures.js';

const ac4 = (state: Parameters<typeof committedObservations>[0]): Observation | undefined =>
  committedObservations(state)['REQ-0.4/AC4'];

describe('REQ-0.4/AC4: everything is in git', () => {
  const HEAD = '0123456789abcdef0123456789abcdef01234567';
  it('every file tracked holds, naming the commit; tracked files with changes are said, not failed', () => {
    const clean = ac4({ head: HEAD, paths: [], untracked: [] });
    assert.ok(clean?.kind === 'fact' && clean.holds);
    assert.match(
      clean.detail,
      /every file of the workspace is tracked by git \(HEAD 0123456789ab\).*nothing uncommitted$/,
    );
    const editing = ac4({ head: HEAD, paths: ['k8s/values.yaml'], untracked: [] });
    assert.ok(editing?.kind === 'fact' && editing.holds);
    assert.match(editing.detail, /1 with changes not committed yet: k8s\/values\.yaml$/);
  });

  it('untracked files fail, named (the first 8, then how many more), with the fix', () => {
    const one = ac4({ head: HEAD, paths: ['k8s/extra.yaml', 'README.md'], untracked: ['k8s/extra.yaml'] });
    assert.ok(one?.kind === 'fact' && !one.holds);
    assert.match(
      one.detail,
      /^1 file is not in git \(untracked: a fresh clone would not have it\): k8s\/extra\.yaml$/,
    );
    assert.match(one.fix ?? '', /git add them and commit.*\.gitignore/);
    const paths = Array.from({ length: 10 }, (_, i) => `services/s${i}/index.ts`);
    const many = ac4({ head: HEAD, paths, untracked: paths });
    assert.ok(many?.kind === 'fact' && !many.holds);
    assert.match(many.detail, /^10 files are not in git .*services\/s7\/index\.ts, and 2 more$/);
    assert.doesNotMatch(many.detail, /s8/);
  });

  it('no repository, no commit, or git giving no answer: each fails saying which', () => {
    const none = ac4(null);
    assert.ok(none?.kind === 'fact' && !none.holds && /not in a git repository/.test(none.detail));
    const empty = ac4({ head: null, paths: ['a'], untracked: ['a'] });
    assert.ok(empty?.kind === 'fact' && !empty.holds && /no commit yet/.test(empty.detail));
    const stuck = ac4({ failed: 'git did not answer in 15 s' });
    assert.ok(stuck?.kind === 'error' && /did not answer/.test(stuck.reason));
  });

  it('the probe asks the git port', async () => {
    const dirty = await gitObservations({
      git: fakeGit({ workTree: { head: 'f00', paths: ['x'], untracked: ['x'] } }),
    });
    assert.equal(dirty['REQ-0.4/AC4']?.kind === 'fact' && dirty['REQ-0.4/AC4'].holds, false);
    const broken = fakeGit();
    const thrown = await gitObservations({
      git: { ...broken, uncommitted: () => Promise.reject(new Error('exit 128: bad config')) },
    });
    assert.equal(thrown['REQ-0.4/AC4']?.kind, 'error');
  });

  it('porcelain -z: a rename’s source is skipped (staged or not), names with spaces kept, untracked told apart', () => {
    assert.deepEqual(
      porcelainPaths('R  k8s/new.yaml\0k8s/old.yaml\0 M a b.txt\0?? new\0 R new2.txt\0old2.txt\0'),
      {
        paths: ['k8s/new.yaml', 'a b.txt', 'new', 'new2.txt'],
        untracked: ['new'],
      },
    );
    assert.deepEqual(porcelainPaths(''), { paths: [], untracked: [] });
  });

  it('the adapter on a real repository: only what is not committed as it is, in the workspace folder', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'git-worktree-'));
    const git = (...args: string[]) =>
      execFileSync(
        'git',
        ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args],
        { cwd: repo },
      );
    git('init', '-q');
    mkdirSync(join(repo, 'ws', 'k8s'), { recursive: true });
    for (const [path, text] of [
      ['ws/k8s/a.yaml', 'a: 1\n'],
      ['ws/k8s/b.yaml', 'b: 1\n'],
      ['ws/.gitignore', '.env\n'],
      ['outside.txt', 'x\n'],
    ] as const)
      writeFileSync(join(repo, path), text);
    const ctx = fakeContext();
    const adapter = (cwd: string) =>
      createGit(createShell({ cwd, signal: ctx.signal, log: ctx.log }), ctx.files, ctx.platform);
    assert.deepEqual(await adapter(join(repo, 'ws')).uncommitted(), {
      head: null,
      untracked: ['ws/.gitignore', 'ws/k8s/a.yaml', 'ws/k8s/b.yaml'],
      paths: ['ws/.gitignore', 'ws/k8s/a.yaml', 'ws/k8s/b.yaml'],
    });
    git('add', '-A');
    git('commit', '-qm', 'platform');
    assert.deepEqual((await adapter(join(repo, 'ws')).uncommitted())?.paths, []);
    writeFileSync(join(repo, 'ws', '.env'), 'SECRET=1\n'); // ignored
    writeFileSync(join(repo, 'ws', 'k8s', 'b.yaml'), 'b: 2\n'); // changed
    writeFileSync(join(repo, 'ws', 'k8s', 'c.yaml'), 'c: 1\n'); // new
    writeFileSync(join(repo, 'outside.txt'), 'y\n'); // changed, but outside the workspace folder
    git('mv', 'ws/k8s/a.yaml', 'ws/k8s/a2.yaml');
    const state = await adapter(join(repo, 'ws')).uncommitted();
    assert.match(state?.head ?? '', /^[0-9a-f]{40}$/, 'the whole hash');
    assert.deepEqual(state?.untracked, ['ws/k8s/c.yaml']);
    assert.deepEqual([...(state?.paths ?? [])].sort(), ['ws/k8s/a2.yaml', 'ws/k8s/b.yaml', 'ws/k8s/c.yaml']);
    const outside = mkdtempSync(join(tmpdir(), 'not-a-repo-'));
    assert.equal(await adapter(outside).uncommitted(), null);
  });
});
