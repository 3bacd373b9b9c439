import { randomBytes } from 'node:crypto';
import { access, chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { mountOf } from '../generator/target.js';
import { mounts } from './target-dir.js';
import type { Files } from '../ports/host.js';

/**
 * Filesystems that keep no POSIX modes: every file shows the same bits and chmod changes nothing
 * (Windows drives under WSL, FAT and exFAT sticks, NTFS through FUSE, SMB shares).
 */
const NO_MODES = new Set([
  '9p',
  'drvfs',
  'vfat',
  'msdos',
  'exfat',
  'ntfs',
  'ntfs3',
  'fuseblk',
  'cifs',
  'smb3',
]);

/** Whether the file's filesystem keeps modes (Linux: its mount's type; elsewhere, yes). */
function keepsModes(path: string): boolean {
  const type = mountOf(realpathSync(path), mounts())?.fsType; // no mounts known (not Linux): undefined
  return type === undefined || !NO_MODES.has(type);
}

/**
 * Files relative to the workspace. Writes are atomic (a crash never leaves half a file behind) and make
 * missing parent folders.
 */
export function createFiles(workspace: string): Files {
  const at = (path: string): string => (isAbsolute(path) ? path : join(workspace, path));
  return {
    async read(path) {
      try {
        return await readFile(at(path), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async write(path, content, options = {}) {
      const target = at(path);
      // A hidden name beside the target (same filesystem, so the rename is atomic), removed if anything
      // fails: a full disk must not leave part of .env in a file git does not ignore.
      const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
      await mkdir(dirname(target), { recursive: true });
      try {
        await writeFile(temp, content, { mode: options.mode ?? 0o644 });
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true }).catch(() => undefined);
        throw error;
      }
    },
    async exists(path) {
      try {
        await access(at(path));
        return true;
      } catch {
        return false;
      }
    },
    async mode(path) {
      let mode: number;
      try {
        mode = (await stat(at(path))).mode & 0o777;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      return keepsModes(at(path)) ? mode : null;
    },
    async chmod(path, mode) {
      await chmod(at(path), mode);
    },
  };
}
