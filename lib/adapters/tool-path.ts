import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Foundation's tool cache, shared by every workspace of this user: what `scripts/bootstrap` and
 * `scripts/test-servers/install` put there (`FOUNDATION_CACHE`, default `~/.cache/foundation`).
 */
export const cacheBin = (): string =>
  join(process.env.FOUNDATION_CACHE ?? join(homedir(), '.cache', 'foundation'), 'bin');

/**
 * The PATH every command of a task runs with, and so where a tool is looked for: the project's tool
 * directory first (the pinned releases task 0-1 installs because PATH's were missing or too old), then
 * PATH, then Foundation's tool cache. The pre-commit hook (scripts/hooks/secret-scan) looks in this order.
 */
export function toolSearchPath(toolDir: string, path: string = process.env.PATH ?? ''): string {
  return [toolDir, ...path.split(delimiter).filter((dir) => dir !== ''), cacheBin()].join(delimiter);
}
