import { select, validateGraph } from '../graph/plan.js';
import { resolveIds } from '../graph/resolve.js';
import { FoundationError } from '../errors.js';
import { appliesTo, type Target, type Task } from '../model/task.js';
import type { ExitCode } from '../report/exit-codes.js';
import type { App } from './app.js';
import { runGraph } from './run-graph.js';

/** `foundation plan [ids]`: checks only (the ids and their dependencies); exit 3 when anything would change. */
export async function planCommand(app: App, ids: readonly string[]): Promise<ExitCode> {
  const tasks = validateGraph(app.tasks);
  const chosen = ids.length > 0 ? resolveIds(ids, tasks, 'plan') : null;
  return (await runGraph(app, { mode: 'plan', command: 'plan', selection: select(tasks, chosen, true) }))
    .code;
}

/** `foundation all`: every task, in dependency order, skipping what is converged. */
export async function allCommand(app: App): Promise<ExitCode> {
  const tasks = validateGraph(app.tasks);
  return (await runGraph(app, { mode: 'run', command: 'all', selection: select(tasks, null, false) })).code;
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
  refuseOtherTargets(tasks, chosen, app.config.target);
  const force = flags.force ? new Set(chosen) : undefined;
  const selection = select(tasks, chosen, flags.withDeps);
  return (await runGraph(app, { mode: 'run', command: 'run', selection, ...(force ? { force } : {}) })).code;
}

/**
 * A step asked for by name that the target does not have (`run 0-7`, Compose's, on k3d) is a usage error
 * with the command that runs it, not a "skipped" run that exits 4. One another step provides on this
 * target (0-2 on compose) is left to the run, which says so.
 */
function refuseOtherTargets(tasks: readonly Task[], chosen: readonly string[], target: Target): void {
  const foreign = tasks.filter(
    (t) => chosen.includes(t.id) && !appliesTo(t, target) && t.providedBy?.[target] === undefined,
  );
  const first = foreign[0];
  if (first === undefined) return;
  const theirs = first.targets?.[0] ?? target;
  throw new FoundationError(
    'E_USAGE',
    `${foreign.map((t) => `task ${t.id}`).join(', ')} ${foreign.length > 1 ? 'are' : 'is'} not part of the ${target} target (${first.id} is for ${first.targets?.join(', ') ?? 'every target'})`,
    `run it on its target: foundation --target ${theirs} run ${foreign.map((t) => t.id).join(' ')} (or FOUNDATION_TARGET=${theirs} in .env)`,
  );
}
