// `list` and `graph`: what the tasks are, from their metadata alone (AppView: no task module is loaded).
import { validateGraph } from '../graph/plan.js';
import type { Outcome } from '../model/outcome.js';
import { EXIT, type ExitCode } from '../report/exit-codes.js';
import { jsonLine } from '../report/json-line.js';
import type { RunSummary } from '../report/summary.js';
import type { AppView } from './app.js';
import { formatMermaid, formatTree, graphData } from './graph.js';
import { formatList, listRows } from './list.js';

/** `foundation list`: every task with its deps and targets; the Phase 0 steps not built yet are marked. */
export function listCommand(app: AppView): ExitCode {
  const rows = listRows(validateGraph(app.tasks));
  app.stdout(
    app.output === 'json'
      ? jsonLine('list', { target: app.config.target, tasks: rows })
      : formatList(rows, app.config.target, app.style),
  );
  return EXIT.ok;
}

/** `foundation graph`: every Phase 0 step with its dependencies and its outcome in the last run. */
export function graphCommand(app: AppView, format: 'text' | 'mermaid', last: RunSummary | null): ExitCode {
  const tasks = validateGraph(app.tasks);
  const states = new Map<string, Outcome>((last?.tasks ?? []).map((t) => [t.id, t.outcome]));
  app.stdout(
    app.output === 'json'
      ? jsonLine('graph', graphData(tasks, states))
      : format === 'mermaid'
        ? formatMermaid(tasks, states)
        : formatTree(tasks, states),
  );
  return EXIT.ok;
}
