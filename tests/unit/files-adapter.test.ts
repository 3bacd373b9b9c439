// The files adapter: atomic writes with a mode, modes read back and changed; no file is null.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFiles } from '../../lib/adapters/files.js';

describe('files adapter', () => {
  it('writes atomically with the mode asked, reads a mode back, changes it; no file is null', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'files-'));
    const files = createFiles(dir);
    assert.equal(await files.mode('.env'), null);
    await files.write('.env', 'A=1\n', { mode: 0o600 });
    assert.equal(await files.mode('.env'), 0o600);
    writeFileSync(join(dir, 'copied'), 'B=2\n', { mode: 0o644 });
    chmodSync(join(dir, 'copied'), 0o644); // whatever the umask
    assert.equal(await files.mode('copied'), 0o644);
    await files.chmod('copied', 0o600);
    assert.equal(await files.mode('copied'), 0o600);
    assert.equal(await files.read('copied'), 'B=2\n');
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the folders in a folder, sorted, files aside; none for a missing folder or a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'files-'));
    for (const name of ['services/b/k8s', 'services/a']) mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, 'services', 'README.md'), 'x');
    const files = createFiles(dir);
    assert.deepEqual(await files.folders('services'), ['a', 'b']);
    assert.deepEqual(await files.folders('nowhere'), []);
    assert.deepEqual(await files.folders('services/README.md'), []);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a write that fails leaves no temporary copy of the content behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'files-'));
    mkdirSync(join(dir, '.env', 'in-the-way'), { recursive: true }); // the rename onto a folder fails
    await assert.rejects(createFiles(dir).write('.env', 'SECRET=1\n', { mode: 0o600 }));
    assert.deepEqual(readdirSync(dir).sort(), ['.env', '.foundation']);
    assert.deepEqual(readdirSync(join(dir, '.foundation', 'tmp')), [], 'the copy is gone');
    // A copy made is made where git ignores it (.foundation/), never beside .env.
    const files = createFiles(dir);
    rmSync(join(dir, '.env'), { recursive: true });
    await files.write('.env', 'SECRET=2\n');
    assert.deepEqual(readdirSync(dir).sort(), ['.env', '.foundation']);
    // .foundation unusable (a file of the user's): the write still succeeds, beside the target.
    rmSync(join(dir, '.foundation'), { recursive: true });
    writeFileSync(join(dir, '.foundation'), 'notes');
    await files.write('.env', 'SECRET=3\n');
    assert.equal(await files.read('.env'), 'SECRET=3\n');
    assert.deepEqual(readdirSync(dir).sort(), ['.env', '.foundation']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a lock: held with this pid until released; held by a live process, refused; left by an ended one, taken over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'files-lock-'));
    const files = createFiles(dir);
    const path = join('.foundation', 'deploys', 'web.lock');
    const first = await files.lock(path);
    assert.ok('release' in first);
    assert.equal(readFileSync(join(dir, path), 'utf8'), `${process.pid}\n`);
    assert.deepEqual(await files.lock(path), { heldBy: process.pid }, 'this process is alive: held');
    await first.release();
    const again = await files.lock(path);
    assert.ok('release' in again, 'released: free again');
    await again.release();
    // A lock whose process has ended (a deploy killed with SIGKILL): taken over.
    const ended = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(dir, path), `${ended}\n`);
    const takeover = await files.lock(path);
    assert.ok('release' in takeover);
    assert.equal(readFileSync(join(dir, path), 'utf8'), `${process.pid}\n`);
    rmSync(dir, { recursive: true, force: true });
  });
});
