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

function mounts(): ReturnType<typeof parseMountInfo> {
  try {
    return parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'));
  } catch {
    return []; // not Linux: the /dev rule and the permission check still apply
  }
}

/** Facts about a would-be service folder, read without writing anything (stat, access, mountinfo). */
export function inspectTarget(target: string): TargetFacts {
  const longestName = Math.max(0, ...target.split('/').map((p) => Buffer.byteLength(p)));
  const pathBytes = Buffer.byteLength(target);
  const found = kind(target);
  let up = found === 'missing' ? dirname(target) : target;
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
  return {
    target: found === 'missing' ? 'absent' : found,
    ancestor: { path: real, isDir },
    writable: isDir ? writable(real) : false,
    mount: mountOf(real, mounts()),
    longestName,
    pathBytes,
  };
}
