import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeTarget, mountOf, parseMountInfo, type TargetFacts } from '../../lib/generator/target.js';

const MOUNTINFO = [
  '22 27 0:21 / /proc rw,relatime - proc proc rw',
  '23 27 0:22 / /sys rw,relatime - sysfs sysfs rw',
  '24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,mode=755',
  '25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw',
  '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '28 27 0:25 / /mnt/read\\040only ro,nosuid - ext4 /dev/vdb ro',
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
].join('\n');

const base: TargetFacts = {
  target: 'absent',
  ancestor: { path: '/home/dev/work', isDir: true },
  writable: true,
  mount: { path: '/', fsType: 'ext4', readOnly: false },
  longestName: 8,
  pathBytes: 30,
};

describe('where a service may be written', () => {
  it('reads mount points, with escaped spaces and read-only flags', () => {
    const mounts = parseMountInfo(MOUNTINFO);
    assert.deepEqual(mountOf('/mnt/read only/x', mounts), {
      path: '/mnt/read only',
      fsType: 'ext4',
      readOnly: true,
    });
    assert.equal(mountOf('/dev/shm/x', mounts)?.fsType, 'tmpfs');
    assert.equal(mountOf('/devices', mounts)?.fsType, 'ext4', 'a prefix of a name is not a parent');
    assert.equal(mountOf('/proc/1/fd', mounts)?.fsType, 'proc');
  });

  const mounts = parseMountInfo(MOUNTINFO);
  const at = (path: string, extra: Partial<TargetFacts> = {}): TargetFacts => ({
    ...base,
    ancestor: { path, isDir: true },
    mount: mountOf(path, mounts),
    ...extra,
  });
  const cases: [string, TargetFacts, RegExp | null][] = [
    ['a new folder in a writable place', base, null],
    ['an empty folder', { ...base, target: 'empty-dir' }, null],
    ['/dev/shm (tmpfs)', at('/dev/shm'), null],
    ['a folder that is not empty', { ...base, target: 'non-empty-dir' }, /already exists and is not empty/],
    ['a file', { ...base, target: 'file' }, /is a file, not a folder/],
    ['a device or pipe', { ...base, target: 'other' }, /device, socket or pipe/],
    [
      'inside a file',
      { ...base, ancestor: { path: '/home/dev/notes.txt', isDir: false } },
      /is not a folder/,
    ],
    ['/proc', at('/proc/self'), /kernel or device filesystem \(proc\)/],
    ['/sys', at('/sys/kernel'), /kernel or device filesystem \(sysfs\)/],
    ['a tmpfs under /sys', at('/sys/fs/cgroup'), /kernel or device filesystem/],
    ['/dev', at('/dev'), /kernel or device filesystem \(devtmpfs\)/],
    [
      '/dev on a system without mountinfo',
      { ...base, ancestor: { path: '/dev', isDir: true }, mount: undefined },
      /kernel or device/,
    ],
    ['a read-only mount', at('/mnt/read only'), /read-only filesystem/],
    ['EROFS from access()', { ...base, writable: 'read-only-fs' }, /read-only filesystem/],
    ['no write permission', { ...base, writable: false }, /you cannot write to \/home\/dev\/work/],
    ['a name over 255 bytes', { ...base, longestName: 256 }, /longer than 255 bytes/],
    ['a path too long', { ...base, pathBytes: 4_000 }, /too long/],
  ];
  for (const [name, facts, refused] of cases) {
    it(`${name} → ${refused === null ? 'accepted' : 'refused'}`, () => {
      const verdict = judgeTarget('services/x', facts);
      if (refused === null) {
        assert.equal(verdict.ok, true);
        return;
      }
      assert.equal(verdict.ok, false);
      if (verdict.ok) return;
      assert.match(verdict.reason, refused);
      assert.match(verdict.reason, /^services\/x: .*; nothing was written$/);
      assert.match(verdict.fix, /--dir/);
    });
  }
});
