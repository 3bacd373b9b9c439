import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { unmountExecRoot } from '../../scripts/test-servers/servers-docker.js';
import { IN_CI } from '../helpers/tools.js';

// Bind mounts of a network namespace, as dockerd leaves them under its exec root, need root — as the
// test Docker engine itself does.
const why = process.getuid?.() === 0 ? null : 'mounting a network namespace needs root';
if (why && IN_CI) throw new Error(why);

const mountsUnder = (dir: string): string[] =>
  readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((point) => point.startsWith(`${dir}/`));

describe('a stopped test Docker engine’s exec root', { skip: why ?? false }, () => {
  it('is unmounted whole: the engine’s namespace and every sandbox it left; the run dir then goes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'foundation-exec-root-'));
    const netns = join(dir, 'exec', 'netns');
    mkdirSync(netns, { recursive: true });
    const names = ['default', 'd66ded872183', '84e5439b8c4f'];
    try {
      for (const name of names) {
        writeFileSync(join(netns, name), '');
        execFileSync('mount', ['--bind', '/proc/self/ns/net', join(netns, name)]);
      }
      assert.equal(mountsUnder(dir).length, names.length);

      unmountExecRoot(join(dir, 'exec'));

      assert.deepEqual(mountsUnder(dir), []);
      rmSync(dir, { recursive: true }); // throws EBUSY while any is still mounted
    } finally {
      for (const point of mountsUnder(dir)) execFileSync('umount', [point]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an exec root never made, or with nothing mounted, is no error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'foundation-exec-root-'));
    try {
      unmountExecRoot(join(dir, 'exec'));
      mkdirSync(join(dir, 'exec', 'netns'), { recursive: true });
      unmountExecRoot(join(dir, 'exec'));
      assert.deepEqual(mountsUnder(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
