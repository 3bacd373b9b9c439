import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FoundationError } from '../errors.js';

/**
 * The workspace a command runs on when -C is not given: the nearest folder from `cwd` up to the git
 * repository's root that has a `.env`; else that root (a clone not set up yet); else `cwd` (no
 * repository). So `foundation status` from `docs/` or a service's folder is about the platform's
 * workspace, and `run 0-1` from a subfolder does not make a second `.env` with other secrets there.
 */
export function defaultWorkspace(cwd: string): string {
  let root: string | null = null;
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.env'))) return dir;
    if (existsSync(join(dir, '.git'))) {
      root = dir;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  return root ?? cwd;
}

/** A workspace given with -C must be an existing folder: a typo is said as such, nothing is created. */
export function checkWorkspace(path: string): void {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    throw new FoundationError(
      'E_USAGE',
      `the workspace ${path} does not exist`,
      'check the path given with -C (or run from inside the workspace); a new workspace must be created first (mkdir -p …)',
    );
  }
  if (!isFolder)
    throw new FoundationError(
      'E_USAGE',
      `the workspace ${path} is not a folder`,
      'pass -C with the folder that holds .env (or run from inside it)',
    );
}
