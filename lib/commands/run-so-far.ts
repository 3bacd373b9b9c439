// What a task sees of the run it is part of. The run's summary.json is written at its end, after every
// task; task 0-13's report, made inside `foundation all`, must still judge that run (a recreate it
// finished, an `all` that converges after a failed one): its store reads the recorded runs and this one
// so far, from the tasks ended until then.
import type { TaskContext } from '../model/context.js';
import type { TaskResult } from '../model/outcome.js';
import type { RunEvent } from '../report/events.js';
import { buildSummary, type RunSummary } from '../report/summary.js';

type Fields = Omit<Parameters<typeof buildSummary>[0], 'tasks' | 'durationMs'>;

/** Collects the ended tasks from the run's events; `summary()` is the run as it stands. */
export function runSoFar(fields: Fields, startedMs: number, now: () => number = () => performance.now()) {
  const ended: TaskResult[] = [];
  return {
    sink: (event: RunEvent): void => {
      if (event.type !== 'task:end') return;
      ended.push(event); // a task's result, with the event's own fields beside it (kept in memory only)
    },
    summary: (): RunSummary =>
      buildSummary({ ...fields, durationMs: Math.round(now() - startedMs), tasks: [...ended] }),
  };
}

/** The context with its run store's runs and this run so far in place of its record, if any. Pure. */
export function withRunSoFar(ctx: TaskContext, current: () => RunSummary): TaskContext {
  const store = ctx.validation.store;
  const runs = (): RunSummary[] => {
    const now = current();
    return [...store.runs().filter((r) => r.runId !== now.runId), now];
  };
  return { ...ctx, validation: { ...ctx.validation, store: { ...store, runs } } };
}
