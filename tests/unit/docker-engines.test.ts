// The test Docker engines share a data root and a bridge: another one running is found from /proc, so the
// second start is refused with the stop command and a clean-up never deletes the bridge under it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { enginesOn, runDirOf } from '../../scripts/test-servers/docker-engines.js';

describe('test Docker engines on one data root', { skip: process.platform !== 'linux' }, () => {
  it('a process named dockerd with that --data-root is found with its run directory; others are not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engines-'));
    const fake = join(dir, 'dockerd');
    symlinkSync(process.execPath, fake); // argv[0] ends in dockerd, as the real one's does
    const root = join(dir, 'data-root');
    const child = spawn(
      fake,
      [
        '-e',
        'process.stdout.write("up\\n"); setInterval(() => {}, 1000)',
        '--',
        `--data-root=${root}`,
        `--pidfile=${dir}/run/docker/dockerd.pid`,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      await once(child.stdout, 'data'); // running, its command line readable
      assert.deepEqual(enginesOn(root), [child.pid]);
      assert.deepEqual(enginesOn(root, child.pid ?? null), [], 'itself excluded');
      assert.deepEqual(enginesOn(join(dir, 'another-root')), []);
      assert.equal(runDirOf(child.pid ?? 0), join(dir, 'run'));
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(enginesOn(root), [], 'gone once it exited');
  });
});

describe('the docker test server', () => {
  it('needs the base filesystem and both client plugins beside the engine, naming each one missing', () => {
    const cache = mkdtempSync(join(tmpdir(), 'empty-cache-'));
    const manager = new URL('../../scripts/test-servers/manager.js', import.meta.url).href;
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(manager)}); process.stdout.write(m.missing(m.definition('docker')) ?? 'none');`,
      ],
      { encoding: 'utf8', env: { ...process.env, FOUNDATION_CACHE: cache } },
    );
    rmSync(cache, { recursive: true, force: true });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^docker is not installed \(.*: run scripts\/test-servers\/install$/);
    for (const file of ['docker/base/rootfs.tar', 'cli-plugins/docker-compose', 'cli-plugins/docker-buildx'])
      assert.ok(r.stdout.includes(join(cache, file.startsWith('cli') ? 'docker/config' : '', file)), file);
  });
});
