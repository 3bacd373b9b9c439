import { isAbsolute, relative, resolve } from 'node:path';
import type { AppView } from './app.js';

/**
 * A path the user typed (`--dir ../billing`), read from where they ran the command (with -C, from that
 * folder, as `git -C` does): absolute. Pure.
 */
export function userPath(where: Pick<AppView, 'cwd'>, path: string): string {
  return resolve(where.cwd, path);
}

/**
 * How to show `target` so that `cd <it>` works in the user's shell (`shell`: the folder the command was
 * started in, whatever -C said): relative to it when the target is in the workspace (`services/orders-api`,
 * `../services/orders-api` from docs/), else absolute. Pure.
 */
export function shownPath(where: Pick<AppView, 'shell' | 'workspace'>, target: string): string {
  const abs = resolve(where.shell, target);
  const inWorkspace = relative(where.workspace, abs);
  if (inWorkspace.startsWith('..') || isAbsolute(inWorkspace)) return abs;
  const rel = relative(where.shell, abs);
  return rel === '' ? '.' : rel;
}
