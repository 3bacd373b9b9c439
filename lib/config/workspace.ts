import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FoundationError } from '../errors.js';
import { RECORD_FILE } from '../generator/record-file.js';

/**
 * The workspace a command runs on when -C is not given, looked for from `cwd` up to the git repository's
 * root and never above it: the nearest folder set up as one — `.foundation/` (Foundation has run there)
 * and `.env` (task 0-1 wrote it) both, and not a service `foundation new service` made; else that root (a clone not set up yet); else, outside any
 * repository, `cwd` itself. So `foundation status` from `docs/` or a service's folder (which may have a
 * `.env` of its own) is about the platform's workspace, `run 0-1` from a subfolder does not make a second
 * `.env` with other secrets there, and one `-C docs plan` (which records its run in docs/.foundation/)
 * does not make docs/ a workspace. A workspace in a subfolder of a larger repository is set up there with
 * -C once; a service that is a repository of its own takes -C.
 */
export function defaultWorkspace(cwd: string): string {
  const root = gitRoot(cwd);
  if (root === null) return cwd;
  for (let dir = cwd; dir !== root; dir = dirname(dir)) if (setUp(dir)) return dir;
  return root;
}

/** Set up as a workspace: `.foundation/` and `.env`, and not a generated service (its own `.env`). */
const setUp = (dir: string): boolean =>
  isFolder(join(dir, '.foundation')) && existsSync(join(dir, '.env')) && !existsSync(join(dir, RECORD_FILE));

/** The nearest folder from `dir` up that holds `.git` (a folder, or a file in a worktree); null if none. */
function gitRoot(dir: string): string | null {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return at;
    if (dirname(at) === at) return null;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A workspace given with -C must be an existing folder: a typo is said as such, nothing is created. */
export function checkWorkspace(path: string): void {
  if (isFolder(path)) return;
  if (!existsSync(path))
    throw new FoundationError(
      'E_USAGE',
      `the workspace ${path} does not exist`,
      "check the path given (foundation -C, a helper script's --workspace), or run from inside the workspace; a new workspace must be created first (mkdir -p …)",
    );
  throw new FoundationError(
    'E_USAGE',
    `the workspace ${path} is not a folder`,
    "give the folder that holds .env (foundation -C, a helper script's --workspace), or run from inside it",
  );
}
