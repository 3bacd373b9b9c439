import type { Target } from '../config/targets.js';
import type { TaskContext } from './context.js';

export { TARGETS, type Target } from '../config/targets.js';

/**
 * One difference, as data (`--json`, summary.json): where, what it should be, what it is. `have` null =
 * absent; `want` null = should not be there. Values are short text, never a secret (`***`).
 */
export interface DriftItem {
  readonly path: string;
  readonly want: string | null;
  readonly have: string | null;
}

/** What `check` found. Read-only, safe at any time. */
export type CheckResult =
  | { readonly status: 'ok'; readonly detail?: string }
  | {
      readonly status: 'drift' | 'missing';
      readonly reason: string;
      /** The differences as text, one per line (shown by `plan`). */
      readonly diff?: string;
      /** The same differences as data. */
      readonly changes?: readonly DriftItem[];
    }
  | { readonly status: 'blocked'; readonly reason: string; readonly hint: string };

export interface TaskDefinition {
  /** Stable id, e.g. `0-3`; what users type. */
  readonly id: string;
  readonly title: string;
  /** Ids of the tasks that must be converged first. */
  readonly deps: readonly string[];
  /** Targets this task applies to; on other targets it is skipped. Default: all. */
  readonly targets?: readonly Target[];
  /** On a target it is skipped on, the task that provides the same thing there (`{ compose: '0-7' }`). */
  readonly providedBy?: Partial<Record<Target, string>>;
  /** Read-only: is the world converged? */
  check(ctx: TaskContext): Promise<CheckResult>;
  /** Converge. Safe to repeat. The executor re-checks afterwards. */
  apply(ctx: TaskContext): Promise<void>;
  /** What a user does when this task fails (a command, a doc). */
  readonly hint: string;
  /** Per-attempt time limit for check + apply + re-check. Default 10 minutes. */
  readonly timeoutMs?: number;
  /** How many times a failing apply is tried again (with backoff). Default 0. */
  readonly retries?: number;
}

export type Task = Readonly<TaskDefinition>;

/** What `list` and `graph` show of a task: tasks/manifest.ts holds it without loading the task modules. */
export type TaskInfo = Pick<Task, 'id' | 'title' | 'deps' | 'targets'>;

const ID = /^[a-z0-9][a-z0-9-]*$/;

/** Declare a task. Validates the shape at definition time so a typo fails fast and plainly. */
export function defineTask(def: TaskDefinition): Task {
  if (!ID.test(def.id)) throw new TypeError(`task id "${def.id}" must match ${String(ID)}`);
  if (def.title.trim() === '') throw new TypeError(`task ${def.id}: title is empty`);
  if (def.hint.trim() === '') throw new TypeError(`task ${def.id}: hint is empty`);
  if (def.timeoutMs !== undefined && !(def.timeoutMs > 0))
    throw new TypeError(`task ${def.id}: timeoutMs must be > 0`);
  if (def.retries !== undefined && !(Number.isInteger(def.retries) && def.retries >= 0)) {
    throw new TypeError(`task ${def.id}: retries must be a whole number >= 0`);
  }
  return Object.freeze({ ...def, deps: Object.freeze([...def.deps]) });
}

export function appliesTo(task: Task, target: Target): boolean {
  return task.targets === undefined || task.targets.includes(target);
}

/** Why a task is skipped on a target it does not apply to. */
export function skipReason(task: Task, target: Target): string {
  const by = task.providedBy?.[target];
  return by !== undefined ? `provided by ${by} on the ${target} target` : `not part of the ${target} target`;
}

export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
