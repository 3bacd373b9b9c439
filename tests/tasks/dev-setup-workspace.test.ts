// Task 0-1 and the workspace's own files: its .gitignore (.env ignored from the first secret on), its own
// .env.example (added to Foundation's, its lines named in its own errors) and its own lefthook.yml (kept;
// blocked, with the line to add, when it runs no secret scan).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FoundationError } from '../../lib/errors.js';
import type { CheckResult } from '../../lib/model/task.js';
import devSetup from '../../tasks/01-dev-setup.js';
import { runOne } from '../helpers/fixtures.js';
import { EXAMPLE, world } from '../helpers/dev-setup-world.js';

const blocked = (r: CheckResult) => {
  assert.equal(r.status, 'blocked');
  return r;
};

describe('task 0-1 and the workspace’s own files', () => {
  it('ignores .env and .foundation/ in git as it writes the first secret, not only at 0-9 (which needs a cluster)', async () => {
    const { ctx, git, fileMap } = world({ files: { '.gitignore': 'node_modules/\n' } });
    git.ignored = false;
    const r = await devSetup.check(ctx);
    assert.equal(r.status, 'drift');
    assert.match(r.reason, /\.env and \.foundation\/ not ignored by git — 0-1 adds them to \.gitignore/);
    assert.deepEqual(
      r.changes?.filter((c) => c.path === '.gitignore'),
      [{ path: '.gitignore', want: '.env .foundation/', have: null }],
    );
    await devSetup.apply(ctx);
    assert.equal(fileMap.get('.gitignore'), 'node_modules/\n.env\n.foundation/\n');
    // .gitignore ignores them, yet git does not (another rule wins): 0-9 says which rule to look for; 0-1
    // adds no second line and does not fail for it.
    const again = await devSetup.check(ctx);
    assert.ok(again.status !== 'drift' || !again.reason.includes('not ignored by git'), again.status);
    await devSetup.apply(ctx);
    assert.equal(fileMap.get('.gitignore'), 'node_modules/\n.env\n.foundation/\n');
    // No .gitignore yet: one is made, starting with its first line (not an empty one).
    fileMap.delete('.gitignore');
    await devSetup.apply(ctx);
    assert.equal(fileMap.get('.gitignore'), '.env\n.foundation/\n');
  });

  it('.gitignore is written before .env: an apply cut short never leaves a secret git would take', async () => {
    const { ctx, git, fileMap } = world({ files: { '.gitignore': 'node_modules/\n' } });
    git.ignored = false;
    fileMap.delete('.env');
    const written: string[] = [];
    const files = {
      ...ctx.files,
      write: (p: string, text: string, o?: { mode?: number }) => {
        written.push(p);
        return ctx.files.write(p, text, o);
      },
    };
    await devSetup.apply({ ...ctx, files });
    assert.deepEqual(written.slice(0, 2), ['.gitignore', '.env']);
  });

  it('a workspace’s own .env.example adds its variables to Foundation’s, never replaces them', async () => {
    const { ctx, fileMap } = world({
      files: {
        '/pkg/.env.example': EXAMPLE,
        '.env.example': '# Orders API\nORDERS_API_URL=http://orders:8080\nFOUNDATION_TARGET=compose\n',
      },
    });
    fileMap.delete('.env');
    await devSetup.apply(ctx);
    const env = fileMap.get('.env') ?? '';
    assert.match(env, /^GRAFANA_ADMIN_PASSWORD=GENERATED-strong-secret/m, 'Foundation’s secret, generated');
    assert.match(env, /^# Orders API\nORDERS_API_URL=http:\/\/orders:8080$/m, 'the workspace’s variable');
    assert.deepEqual(env.match(/^FOUNDATION_TARGET=.*$/gm), ['FOUNDATION_TARGET=compose'], 'its value wins');
  });

  it('a first run given --target compose writes that target into .env, not the example’s k3d', async () => {
    const { ctx, fileMap } = world({ files: { '/pkg/.env.example': EXAMPLE } });
    fileMap.delete('.env');
    await devSetup.apply({ ...ctx, target: 'compose' });
    assert.deepEqual((fileMap.get('.env') ?? '').match(/^FOUNDATION_TARGET=.*$/gm), [
      'FOUNDATION_TARGET=compose',
    ]);
  });

  it('a lefthook.yml of the user’s with no secret scan: blocked, saying what to add; nothing installed or changed', async () => {
    const { ctx, git } = world({ hooks: 'no-scan' });
    const r = blocked(await devSetup.check(ctx));
    assert.match(r.reason, /^lefthook\.yml \(yours, kept as it is\) runs no secret scan before a commit$/);
    assert.equal(
      r.hint,
      'add the scan to lefthook.yml, under pre-commit: commands: secrets: run: /pkg/scripts/hooks/secret-scan (then: foundation run 0-1)',
    );
    const { result } = await runOne(devSetup, ctx, 'k3d');
    assert.equal(result?.outcome, 'blocked');
    assert.equal(git.installs, 0, 'installing would not add the scan: lefthook installs what the file says');
  });

  it('a malformed line in the workspace’s own .env.example is named in that file, at its own line', async () => {
    const { ctx } = world({
      files: {
        '/pkg/.env.example': EXAMPLE,
        '.env.example': 'ORDERS_API_URL=http://orders\nnot a setting\n',
      },
    });
    await assert.rejects(devSetup.check(ctx), (error: unknown) => {
      assert.ok(error instanceof FoundationError);
      assert.equal(error.code, 'E_ENV_FILE_MALFORMED');
      assert.match(error.message, /^\.env\.example is malformed .*\n {2}- line 2: /);
      return true;
    });
  });
});
