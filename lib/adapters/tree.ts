import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TemplateFile } from '../generator/render.js';

/** Write files under `dir`, creating folders as needed (updates files of an existing tree). */
export function writeTree(dir: string, files: readonly TemplateFile[]): void {
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
}

/**
 * Write a new service folder all at once: files go into a hidden sibling folder that is renamed into
 * place at the end, so a failure half-way leaves nothing behind (also no parent folders it made).
 */
export function writeNewTree(dir: string, files: readonly TemplateFile[]): void {
  const parent = dirname(dir);
  const madeParent = mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(dir)}.partial-${process.pid}`);
  try {
    for (const file of files) {
      const path = join(staging, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
    renameSync(staging, dir); // replaces an empty folder on POSIX
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (madeParent !== undefined) rmSync(madeParent, { recursive: true, force: true });
    throw error;
  }
}
