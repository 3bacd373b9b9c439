import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FoundationError } from '../errors.js';

/** The nearest path at or above `dir` that exists and is not a folder (a file in the way), or null. */
function fileInTheWay(dir: string): string | null {
  for (let path = resolve(dir); ; path = dirname(path)) {
    try {
      if (!statSync(path).isDirectory()) return path;
    } catch {
      // not there (or under a file): look one level up
    }
    if (dirname(path) === path) return null;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The nearest folder at or above `dir` that exists: the one to make writable. */
function nearestExisting(dir: string): string {
  let path = resolve(dir);
  while (!existsSync(path) && dirname(path) !== path) path = dirname(path);
  return path;
}

/**
 * `mkdir -p dir` for a folder Foundation keeps its own files in (`purpose` says which). A file in the way or
 * a folder it may not write to is E_FOLDER_UNUSABLE, naming the path and the fix; nothing is moved or
 * deleted. Other failures are rethrown as they are.
 */
export function makeFolder(dir: string, purpose: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const file = code === 'ENOTDIR' || code === 'EEXIST' ? fileInTheWay(dir) : null;
    if (file !== null)
      throw new FoundationError(
        'E_FOLDER_UNUSABLE',
        `${dir} cannot be made: ${file} is a file, not a folder (${purpose})`,
        `move ${file} aside (mv ${file} ${file}.bak), then run the command again`,
      );
    // On a read-only mount, a recursive mkdir reports ENOENT rather than EROFS: the nearest folder that
    // exists and may not be written to says what it is.
    if (
      code === 'EACCES' ||
      code === 'EPERM' ||
      code === 'EROFS' ||
      (code === 'ENOENT' && !writable(nearestExisting(dir)))
    ) {
      const existing = nearestExisting(dir);
      throw new FoundationError(
        'E_FOLDER_UNUSABLE',
        `${dir} cannot be made (${code === 'ENOENT' ? 'a read-only folder' : code}: ${purpose})`,
        `make ${existing} writable for this user (ls -ld ${existing})`,
      );
    }
    throw error;
  }
}
