import { FoundationError, toErrorInfo } from '../errors.js';
import type { TaskContext } from '../model/context.js';
import type { TaskResult } from '../model/outcome.js';
import { DEFAULT_TIMEOUT_MS, type CheckResult, type Task } from '../model/task.js';
import type { RunEventBody, RunMode } from '../report/events.js';

export interface RunTaskOptions {
  /** `plan`: check only. `run`: check → apply → re-check. */
  readonly mode: RunMode;
  /** Apply even when the check says ok. */
  readonly force: boolean;
  /** The run's signal (Ctrl+C). */
  readonly signal: AbortSignal;
  readonly emit: (event: RunEventBody) => void;
  readonly contextFor: (task: Task, signal: AbortSignal) => TaskContext;
  readonly now: () => number;
  /** Pause before apply attempt n+1 (n starts at 1). */
  readonly retryDelayMs: (attempt: number) => number;
}

type Ending = Omit<TaskResult, 'id' | 'title' | 'durationMs'>;

export function describeCheck(check: CheckResult): string {
  return check.status === 'ok' ? (check.detail ?? 'ok') : `${check.status}: ${check.reason}`;
}

/** Rejects with the signal's reason as soon as it aborts; never resolves. */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = (): void => {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/** How many times apply has started, read also when the task ends in a failure, a timeout or a cancel. */
interface ApplyTally {
  applies: number;
}

async function applyWithRetries(
  task: Task,
  ctx: TaskContext,
  o: RunTaskOptions,
  tally: ApplyTally,
): Promise<number> {
  const attempts = (task.retries ?? 0) + 1;
  for (let attempt = 1; ; attempt++) {
    // Aborted, the task has already ended (cancelled, timed out); its check, still running behind the
    // runner's back, must not go on to change anything.
    ctx.signal.throwIfAborted();
    o.emit({ type: 'task:phase', id: task.id, phase: 'apply', attempt });
    tally.applies = attempt;
    try {
      await task.apply(ctx);
      return attempt;
    } catch (error) {
      if (attempt >= attempts || ctx.signal.aborted) throw error;
      o.emit({ type: 'task:retry', id: task.id, attempt, error: toErrorInfo(error) });
      await ctx.clock.sleep(o.retryDelayMs(attempt), ctx.signal);
    }
  }
}

async function converge(task: Task, ctx: TaskContext, o: RunTaskOptions, tally: ApplyTally): Promise<Ending> {
  o.emit({ type: 'task:phase', id: task.id, phase: 'check', attempt: 1 });
  const first = await task.check(ctx);
  if (first.status === 'blocked') {
    return { outcome: 'blocked', reason: first.reason, hint: first.hint, applies: 0 };
  }
  if (o.mode === 'plan') {
    return first.status === 'ok'
      ? { outcome: 'ok', reason: describeCheck(first), applies: 0 }
      : {
          outcome: 'would-change',
          reason: describeCheck(first),
          ...(first.diff === undefined ? {} : { diff: first.diff }),
          ...(first.changes === undefined ? {} : { changes: first.changes }),
          applies: 0,
        };
  }
  if (first.status === 'ok' && !o.force) return { outcome: 'ok', reason: describeCheck(first), applies: 0 };
  const applies = await applyWithRetries(task, ctx, o, tally);
  ctx.signal.throwIfAborted();
  o.emit({ type: 'task:phase', id: task.id, phase: 'recheck', attempt: 1 });
  const after = await task.check(ctx);
  if (after.status === 'ok')
    return {
      outcome: 'changed',
      reason: describeCheck(first),
      ...(first.status !== 'ok' && first.changes !== undefined ? { changes: first.changes } : {}),
      applies,
    };
  if (after.status === 'blocked')
    return { outcome: 'blocked', reason: after.reason, hint: after.hint, applies };
  throw new FoundationError(
    'E_NOT_CONVERGED',
    `not converged after apply (${describeCheck(after)})`,
    task.hint,
  );
}

/**
 * One task, start to end: check → (apply → re-check) under its time limit. Never rejects: every way it
 * can end is a TaskResult (failed with a coded error, cancelled, timed out…).
 */
export async function runTask(task: Task, o: RunTaskOptions): Promise<TaskResult> {
  const started = o.now();
  const limitMs = task.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = new AbortController();
  const timer = setTimeout(() => {
    timeout.abort(new FoundationError('E_TASK_TIMEOUT', `timed out after ${limitMs} ms`, task.hint));
  }, limitMs);
  const signal = AbortSignal.any([o.signal, timeout.signal]);
  // A failed apply may have changed things before it threw (0-1 wrote .env, then a download failed).
  const tally: ApplyTally = { applies: 0 };
  const done = (rest: Ending): TaskResult => ({
    id: task.id,
    title: task.title,
    durationMs: Math.round(o.now() - started),
    ...rest,
  });
  try {
    const ctx = o.contextFor(task, signal);
    return done(await Promise.race([converge(task, ctx, o, tally), whenAborted(signal)]));
  } catch (error) {
    if (o.signal.aborted)
      return done({ outcome: 'cancelled', reason: 'cancelled by the user', applies: tally.applies });
    const info = toErrorInfo(timeout.signal.aborted ? timeout.signal.reason : error);
    return done({
      outcome: 'failed',
      reason: info.message,
      hint: info.fix ?? task.hint,
      error: info,
      applies: tally.applies,
    });
  } finally {
    clearTimeout(timer);
  }
}
