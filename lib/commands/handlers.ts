import { select, validateGraph } from '../graph/plan.js';
import { resolveIds } from '../graph/resolve.js';
import type { ExitCode } from '../report/exit-codes.js';
import type { App } from './app.js';
import { runGraph } from './run-graph.js';

/** `foundation plan [ids]`: checks only (the ids and their dependencies); exit 3 when anything would change. */
export async function planCommand(app: App, ids: readonly string[]): Promise<ExitCode> {
  const tasks = validateGraph(app.tasks);
  const chosen = ids.length > 0 ? resolveIds(ids, tasks) : null;
  return (await runGraph(app, { mode: 'plan', selection: select(tasks, chosen, true) })).code;
}

/** `foundation all`: every task, in dependency order, skipping what is converged. */
export async function allCommand(app: App): Promise<ExitCode> {
  const tasks = validateGraph(app.tasks);
  return (await runGraph(app, { mode: 'run', selection: select(tasks, null, false) })).code;
}

export interface RunFlags {
  readonly force: boolean;
  readonly withDeps: boolean;
}

/**
 * `foundation run <id…>`: redo these steps. Dependencies outside the list are checked, not applied; one
 * that is not converged blocks the step with the command that fixes it (or use --with-deps).
 */
export async function runCommand(app: App, ids: readonly string[], flags: RunFlags): Promise<ExitCode> {
  const tasks = validateGraph(app.tasks);
  const chosen = resolveIds(ids, tasks);
  const force = flags.force ? new Set(chosen) : undefined;
  const selection = select(tasks, chosen, flags.withDeps);
  return (await runGraph(app, { mode: 'run', selection, ...(force ? { force } : {}) })).code;
}
