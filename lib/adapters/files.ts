import { randomBytes } from 'node:crypto';
import { access, chmod, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
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

/** .foundation/tmp/ cannot take the temporary copy (another filesystem, a file in the way, not ours). */
const FALLBACK = new Set(['EXDEV', 'ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS']);

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
      await mkdir(dirname(target), { recursive: true });
      // The temporary copy of a workspace file goes under .foundation/tmp/, which git ignores (a kill
      // between write and rename must not leave part of .env where `git add .` takes it); elsewhere, or
      // if that folder is on another filesystem, beside the target. Removed whenever the write fails.
      const name = `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`;
      const fromWorkspace = relative(workspace, target);
      const inside = fromWorkspace !== '' && !fromWorkspace.startsWith('..') && !isAbsolute(fromWorkspace);
      const scratch = join(workspace, '.foundation', 'tmp');
      if (inside) await mkdir(scratch, { recursive: true }).catch(() => undefined);
      const attempt = async (temp: string): Promise<void> => {
        try {
          await writeFile(temp, content, { mode: options.mode ?? 0o644 });
          await rename(temp, target);
        } catch (error) {
          await rm(temp, { force: true }).catch(() => undefined);
          throw error;
        }
      };
      try {
        await attempt(inside ? join(scratch, name) : join(dirname(target), name));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (!inside || !FALLBACK.has(code ?? '')) throw error;
        await attempt(join(dirname(target), name));
      }
    },
    async folders(path) {
      try {
        const entries = await readdir(at(path), { withFileTypes: true });
        return entries
          .filter((e) => e.isDirectory())
          .map((e) => e.name)
          .sort();
      } catch (error) {
        if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return [];
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
    async lock(path) {
      const file = at(path);
      await mkdir(dirname(file), { recursive: true });
      let holder = 0;
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
          return { release: () => rm(file, { force: true }) };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
          if (Number.isInteger(holder) && holder > 0 && alive(holder)) return { heldBy: holder };
          await rm(file, { force: true }); // left by a process that ended (or unreadable): taken over
        }
      }
      return { heldBy: holder }; // another process took it over between our two tries
    },
  };
}

/** Whether a process with this id runs (signal 0 only asks; EPERM: it runs, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
