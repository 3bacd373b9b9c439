import pLimit from 'p-limit';
import type { TaskContext } from '../model/context.js';
import { satisfies, type TaskResult } from '../model/outcome.js';
import { appliesTo, skipReason, type Target, type Task } from '../model/task.js';
import type { RunEventBody, RunMode } from '../report/events.js';
import type { Selection } from './plan.js';
import { runTask } from './run-task.js';
import { backoffDelay } from '../wait/backoff.js';

export interface ExecuteOptions {
  readonly mode: RunMode;
  readonly selection: Selection;
  readonly target: Target;
  /** How many tasks may work at once. Taken only after a task's dependencies have ended. */
  readonly concurrency: number;
  /** Ids to apply even when their check says ok (`run --force`). */
  readonly force?: ReadonlySet<string>;
  readonly signal: AbortSignal;
  readonly emit: (event: RunEventBody) => void;
  readonly contextFor: (task: Task, signal: AbortSignal) => TaskContext;
  readonly now?: () => number;
  readonly retryDelayMs?: (attempt: number) => number;
}

/** Before apply attempt n+1: 1 s, 2 s, 4 s … at most 30 s, less up to a fifth at random (lib/wait/backoff). */
const backoff = (attempt: number): number =>
  backoffDelay(attempt, { intervalMs: 1_000, maxIntervalMs: 30_000, factor: 2, jitter: 0.2 });

/** Why a task cannot start, given the first dependency that did not end well. */
function blockedBy(task: Task, dep: TaskResult, mode: RunMode): Omit<TaskResult, 'durationMs'> {
  const base = { id: task.id, title: task.title, applies: 0 } as const;
  if (dep.outcome === 'cancelled') return { ...base, outcome: 'cancelled', reason: 'cancelled by the user' };
  if (dep.gate) {
    return {
      ...base,
      outcome: 'blocked',
      rootCause: dep.id,
      reason: `dependency ${dep.id} (${dep.title}) is not converged: ${dep.reason ?? dep.outcome}`,
      hint: `run \`foundation run ${dep.id}\` first, or add --with-deps`,
      error: {
        code: 'E_DEPENDENCY_NOT_CONVERGED',
        message: `dependency ${dep.id} is not converged`,
        fix: `foundation run ${dep.id}`,
      },
    };
  }
  const root = dep.rootCause ?? dep.id;
  if (mode === 'plan' && (dep.outcome === 'would-change' || dep.outcome === 'pending-upstream')) {
    return {
      ...base,
      outcome: 'pending-upstream',
      rootCause: root,
      reason: `waits for ${root} to change first`,
    };
  }
  // The fix belongs to the root cause; the recap shows it there once, not again under every dependent.
  return {
    ...base,
    outcome: 'blocked',
    rootCause: root,
    // Through another task (0-5 needs 0-4, which waits for 0-1): said so, not as a different failure.
    reason:
      dep.rootCause === undefined
        ? `waits for ${root}, which ${dep.outcome === 'failed' ? 'failed' : `is ${dep.outcome}`}`
        : `waits for ${root} (through ${dep.id}), which did not converge`,
  };
}

/**
 * Run a selection as a dependency graph. Every task starts as soon as its dependencies have ended; a
 * concurrency slot is taken only then, so waiting tasks never hold one. A failure blocks its dependents
 * only; independent branches finish. Never rejects: the result lists every task once, in graph order.
 */
export async function execute(o: ExecuteOptions): Promise<TaskResult[]> {
  const now = o.now ?? (() => performance.now());
  const limit = pLimit(o.concurrency);
  const gateIds = new Set(o.selection.gates.map((t) => t.id));
  const all = [...o.selection.gates, ...o.selection.tasks];
  const results = new Map<string, Promise<TaskResult>>();

  const end = (result: TaskResult): TaskResult => {
    o.emit({ type: 'task:end', ...result });
    return result;
  };

  const schedule = async (task: Task): Promise<TaskResult> => {
    const gate = gateIds.has(task.id);
    const deps = gate ? [] : task.deps.filter((d) => results.has(d));
    if (deps.length > 0) o.emit({ type: 'task:waiting', id: task.id, on: deps });
    const depResults = await Promise.all(deps.map((d) => results.get(d) as Promise<TaskResult>));
    const base = { id: task.id, title: task.title, durationMs: 0, applies: 0, ...(gate ? { gate } : {}) };
    if (o.signal.aborted) return end({ ...base, outcome: 'cancelled', reason: 'cancelled by the user' });
    if (!appliesTo(task, o.target)) {
      return end({ ...base, outcome: 'skipped', reason: skipReason(task, o.target) });
    }
    const blocker = depResults.find((r) => !satisfies(r.outcome));
    if (blocker) return end({ ...blockedBy(task, blocker, o.mode), durationMs: 0 });
    const result = await limit(() =>
      o.signal.aborted
        ? { ...base, outcome: 'cancelled' as const, reason: 'cancelled by the user' }
        : runTask(task, {
            mode: gate ? 'plan' : o.mode,
            force: !gate && (o.force?.has(task.id) ?? false),
            signal: o.signal,
            emit: o.emit,
            contextFor: o.contextFor,
            now,
            retryDelayMs: o.retryDelayMs ?? backoff,
          }),
    );
    return end(gate ? { ...result, gate } : result);
  };

  for (const task of all) results.set(task.id, schedule(task));
  return Promise.all(all.map((t) => results.get(t.id) as Promise<TaskResult>));
}
