import { isAbsolute, relative, resolve } from 'node:path';
import type { AppView } from './app.js';

type Where = Pick<AppView, 'cwd' | 'workspace'>;

const inside = (from: string, to: string): string | null => {
  const rel = relative(from, to);
  return rel.startsWith('..') || isAbsolute(rel) ? null : rel;
};

/**
 * A path the user typed (`--dir ../billing`), read from where they ran the command (with -C, from that
 * folder, as `git -C` does): absolute. Pure.
 */
export function userPath(where: Where, path: string): string {
  return resolve(where.cwd, path);
}

/**
 * How to show `target` so that `cd <it>` works where the user is: relative to their folder when the target
 * is in the workspace (`services/orders-api`, or `../services/orders-api` from docs/), else absolute. Pure.
 */
export function shownPath(where: Where, target: string): string {
  const abs = resolve(where.cwd, target);
  if (inside(where.workspace, abs) === null) return abs;
  const rel = relative(where.cwd, abs);
  return rel === '' ? '.' : rel;
}
