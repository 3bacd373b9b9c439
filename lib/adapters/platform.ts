import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Platform } from '../ports/host.js';

/** Where Foundation is installed: dist/lib/adapters/ → the package root. */
export function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

export function detectPlatform(workspace: string): Platform {
  const os = process.platform === 'darwin' || process.platform === 'linux' ? process.platform : 'other';
  return Object.freeze({
    os,
    arch: process.arch,
    workspace,
    packageRoot: packageRoot(),
    nodeVersion: process.versions.node,
  });
}
