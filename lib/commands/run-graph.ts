import { join } from 'node:path';
import { execute } from '../graph/execute.js';
import type { Selection } from '../graph/plan.js';
import type { RunMode } from '../report/events.js';
import { EventBus } from '../report/bus.js';
import type { ExitCode } from '../report/exit-codes.js';
import { buildSummary, formatRecap, type RunCommand, type RunSummary } from '../report/summary.js';
import { endpointSettings, platformEndpoints, type Endpoint } from '../endpoints/list.js';
import type { Target } from '../model/task.js';
import { jsonSink, plainSink } from '../ui/plain.js';
import type { App } from './app.js';
import { checkoutOf } from './checkout.js';
import { runSoFar, withRunSoFar } from './run-so-far.js';
import { shownPath } from './user-path.js';

export interface RunGraphOptions {
  readonly mode: RunMode;
  /** Recorded in summary.json: validate's evidence of `foundation all` counts only runs it made. */
  readonly command: RunCommand;
  readonly selection: Selection;
  readonly force?: ReadonlySet<string>;
}

/**
 * Run (or plan) a selection: record it, show it, execute it, and end with the recap and summary.json.
 * Nothing is shown after the recap: run:end closes the event bus. Returns the exit code from the table.
 */
export async function runGraph(
  app: App,
  options: RunGraphOptions,
): Promise<{ code: ExitCode; summary: RunSummary }> {
  const startedAt = new Date();
  const started = performance.now();
  const store = app.openRunStore();
  const bus = new EventBus(store.runId, app.redactor);
  bus.subscribe(store.sink, 'the run record');
  const observer = await app.observe(store.dir);
  bus.subscribe(observer.sink, 'the runner log and metrics');
  const view =
    app.output === 'json'
      ? { sink: jsonSink(app.stdout), done: () => Promise.resolve() }
      : app.output === 'plain'
        ? { sink: plainSink(app.stdout), done: () => Promise.resolve() }
        : await app.liveView();
  bus.subscribe(view.sink, app.output === 'json' ? 'the JSON output' : 'the terminal view');

  // `foundation all` records the checkout it starts from, in this run so far too (0-13 judges REQ-0.4/AC5
  // from it inside the run).
  const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };
  const checkout =
    options.mode === 'run' && options.command === 'all'
      ? await checkoutOf(app.makeContext(app.signal, quiet), store.runId)
      : undefined;
  const soFar = runSoFar(
    {
      runId: store.runId,
      mode: options.mode,
      command: options.command,
      target: app.config.target,
      startedAt: startedAt.toISOString(),
      runDir: store.relativeDir,
      ...(checkout === undefined ? {} : { checkout }),
    },
    started,
  );
  bus.subscribe(soFar.sink, 'the run so far');
  const all = [...options.selection.gates, ...options.selection.tasks];
  bus.emit({
    type: 'run:start',
    mode: options.mode,
    target: app.config.target,
    tasks: all.map((t) => ({ id: t.id, title: t.title, deps: t.deps })),
    gates: options.selection.gates.map((t) => t.id),
    concurrency: app.config.concurrency,
  });
  const results = await execute({
    mode: options.mode,
    selection: options.selection,
    target: app.config.target,
    concurrency: app.config.concurrency,
    ...(options.force ? { force: options.force } : {}),
    signal: app.signal,
    emit: (event) => {
      bus.emit(event);
    },
    contextFor: (task, signal) => {
      const ctx = app.makeContext(signal, {
        info: (line) => {
          bus.emit({ type: 'task:output', id: task.id, level: 'info', line });
        },
        warn: (line) => {
          bus.emit({ type: 'task:output', id: task.id, level: 'warn', line });
        },
        debug: (line) => {
          bus.emit({ type: 'task:output', id: task.id, level: 'debug', line });
        },
      });
      return options.mode === 'run' ? withRunSoFar(ctx, soFar.summary) : ctx;
    },
  });
  // Cancelled: the commands still running get their grace period (or are killed) before the recap, so
  // none outlives the CLI and none writes after it.
  const stopped = app.signal.aborted ? await app.children.settle() : undefined;
  const summary = app.redactor.redactDeep(
    buildSummary({
      runId: store.runId,
      mode: options.mode,
      command: options.command,
      target: app.config.target,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      tasks: results,
      runDir: store.relativeDir,
      ...(stopped === undefined ? {} : { stopped }),
      ...(checkout === undefined ? {} : { checkout }),
    }),
  );
  bus.emit({
    type: 'run:end',
    durationMs: summary.durationMs,
    exitCode: summary.exitCode,
    counts: summary.counts,
    ...(stopped === undefined ? {} : { stopped }),
  });
  store.writeSummary(summary);
  store.writeFile('metrics.prom', await observer.metricsText());
  await view.done();
  for (const line of [...store.lost, ...bus.problems])
    app.stderr(`foundation: warning: ${app.redactor.redact(line)}\n`);
  if (app.output !== 'json') {
    // The log paths as the user's shell reaches them (../.foundation/runs/… from docs/).
    const shown = { ...summary, runDir: shownPath(app, join(app.workspace, summary.runDir)) };
    app.stdout(
      `\n${app.redactor.redact(formatRecap(shown, 'graph', app.style, uiEndpoints(app, summary.target)))}\n`,
    );
  }
  return { code: summary.exitCode, summary };
}

/** The platform's UIs as this workspace reaches them: a URL set in .env wins over the target's own address. */
function uiEndpoints(app: App, target: Target): Endpoint[] {
  return platformEndpoints(target, endpointSettings(app.config));
}
