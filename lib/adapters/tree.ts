import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TemplateFile } from '../generator/render.js';

export type DirState = 'absent' | 'empty' | 'not-empty';

export function dirState(dir: string): DirState {
  if (!existsSync(dir)) return 'absent';
  return readdirSync(dir).length === 0 ? 'empty' : 'not-empty';
}

/** Write files under `dir`, creating folders as needed. */
export function writeTree(dir: string, files: readonly TemplateFile[]): void {
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
}
