import { select, validateGraph } from '../graph/plan.js';
import { resolveIds } from '../graph/resolve.js';
import type { Outcome } from '../model/outcome.js';
import { EXIT, type ExitCode } from '../report/exit-codes.js';
import type { App } from './app.js';
import { jsonLine } from '../report/json-line.js';
import { formatMermaid, formatTree, graphData } from './graph.js';
import { formatList, listRows } from './list.js';
import { runGraph } from './run-graph.js';

function lastStates(app: App): Map<string, Outcome> {
  return new Map((app.lastSummary()?.tasks ?? []).map((t) => [t.id, t.outcome]));
}

/** `foundation list`: every task with its deps and targets; the Phase 0 steps not built yet are marked. */
export function listCommand(app: App): ExitCode {
  const rows = listRows(validateGraph(app.tasks));
  app.stdout(
    app.output === 'json'
      ? jsonLine('list', { target: app.config.target, tasks: rows })
      : formatList(rows, app.config.target, app.style),
  );
  return EXIT.ok;
}

/** `foundation graph`: every Phase 0 step with its dependencies and its outcome in the last run. */
export function graphCommand(app: App, format: 'text' | 'mermaid'): ExitCode {
  const tasks = validateGraph(app.tasks);
  const states = lastStates(app);
  app.stdout(
    app.output === 'json'
      ? jsonLine('graph', graphData(tasks, states))
      : format === 'mermaid'
        ? formatMermaid(tasks, states)
        : formatTree(tasks, states),
  );
  return EXIT.ok;
}

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
