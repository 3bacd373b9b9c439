import { accessSync, constants, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, parse } from 'node:path';
import { mountOf, parseMountInfo, type TargetFacts } from '../generator/target.js';

function kind(path: string): TargetFacts['target'] | 'missing' {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Absent, a file in the way, no permission to look, a symlink loop, too long: the walk up decides.
    if (['ENOENT', 'ENOTDIR', 'EACCES', 'ELOOP', 'ENAMETOOLONG'].includes(code ?? '')) return 'missing';
    throw error;
  }
  if (stat.isFile()) return 'file';
  if (!stat.isDirectory()) return 'other';
  try {
    return readdirSync(path).length === 0 ? 'empty-dir' : 'non-empty-dir';
  } catch (error) {
    // A folder this user may not list (mode 300, another's home): not known to be empty, so not empty.
    if ((error as NodeJS.ErrnoException).code === 'EACCES') return 'non-empty-dir';
    throw error;
  }
}

function writable(dir: string): TargetFacts['writable'] {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EROFS' ? 'read-only-fs' : false;
  }
}

/** This machine's mount points (Linux's /proc/self/mountinfo); none elsewhere. */
export function mounts(): ReturnType<typeof parseMountInfo> {
  try {
    return parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'));
  } catch {
    return []; // not Linux: the /dev rule and the permission check still apply
  }
}

/**
 * Where a path would land: the nearest existing entry from `start` up (symlinks resolved), whether it is
 * a folder, and the mount it is on. Reads only (lstat, realpath, stat, mountinfo); lists nothing.
 */
export function placeOf(start: string): Pick<TargetFacts, 'ancestor' | 'mount'> {
  let up = start;
  while (up !== parse(up).root) {
    try {
      lstatSync(up);
      break;
    } catch {
      up = dirname(up);
    }
  }
  let real = up;
  let isDir = false;
  try {
    real = realpathSync(up);
    isDir = statSync(real).isDirectory();
  } catch {
    // a dangling symlink or no permission: not a folder we can use
  }
  return { ancestor: { path: real, isDir }, mount: mountOf(real, mounts()) };
}

/** Facts about a would-be service folder, read without writing anything (stat, access, mountinfo). */
export function inspectTarget(target: string): TargetFacts {
  const longestName = Math.max(0, ...target.split('/').map((p) => Buffer.byteLength(p)));
  const pathBytes = Buffer.byteLength(target);
  const found = kind(target);
  const { ancestor, mount } = placeOf(found === 'missing' ? dirname(target) : target);
  return {
    target: found === 'missing' ? 'absent' : found,
    ancestor,
    writable: ancestor.isDir ? writable(ancestor.path) : false,
    mount,
    longestName,
    pathBytes,
  };
}
