import { randomBytes } from 'node:crypto';
import { access, chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { Files } from '../ports/host.js';

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
      const temp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
      await mkdir(dirname(target), { recursive: true });
      await writeFile(temp, content, { mode: options.mode ?? 0o644 });
      await rename(temp, target);
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
      try {
        return (await stat(at(path))).mode & 0o777;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async chmod(path, mode) {
      await chmod(at(path), mode);
    },
  };
}
