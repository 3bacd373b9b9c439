// The CLI's App: the configuration loaded for this invocation and the adapters every command uses.
// Part of the composition root (scripts/cli-main.ts); here the process's environment and streams are read.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_GRACE_MS, createChildren, type ChildRegistry } from '../lib/adapters/children.js';
import { packageRoot } from '../lib/adapters/platform.js';
import type { RunTelemetry } from '../lib/adapters/telemetry.js';
import type { App, AppView, OutputMode } from '../lib/commands/app.js';
import { userPath } from '../lib/commands/user-path.js';
import { loadConfig } from '../lib/config/load.js';
import { FoundationError } from '../lib/errors.js';
import { checkWorkspace, defaultWorkspace } from '../lib/config/workspace.js';
import type { CompletionShell } from '../lib/ports/automation.js';
import { Redactor } from '../lib/redact.js';
import { colourWanted, createStyler } from '../lib/ui/style.js';
import type { ValidationRequest } from '../lib/validate/context.js';
import { TASK_MANIFEST } from '../tasks/manifest.js';
import { truthy } from '../lib/config/flags.js';

export interface GlobalOptions {
  target?: string;
  concurrency?: string;
  json?: boolean;
  /** -C; unset: lib/config/workspace.ts's default. */
  workspace?: string;
}

/** What lives as long as the process: cancellation, its children, the redactor, the run's telemetry. */
export interface CliRuntime {
  readonly controller: AbortController;
  /** Every child process this invocation starts: a cancelled command waits for them (or kills them). */
  readonly children: ChildRegistry;
  redactor: Redactor;
  telemetry: RunTelemetry | null;
  graceMs: number;
}

export function createRuntime(): CliRuntime {
  return {
    controller: new AbortController(),
    children: createChildren(),
    redactor: new Redactor(),
    telemetry: null,
    graceMs: DEFAULT_GRACE_MS,
  };
}

export function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
}

export const NO_REQUEST: ValidationRequest = { skipPerf: false, restartBroker: false, restartCluster: false };

/**
 * The light part of every command: the configuration and the streams, with the tasks' metadata from
 * tasks/manifest.ts. Loads neither the task modules nor the adapters: `list` and `graph` need only this.
 */
export function buildView(rt: CliRuntime, opts: GlobalOptions): AppView {
  return loadView(rt, opts).view;
}

/** Where paths the user types are read from: -C's folder, else the current one. */
export function invocationDir(opts: GlobalOptions): string {
  return opts.workspace === undefined ? process.cwd() : resolve(opts.workspace);
}

function loadView(rt: CliRuntime, opts: GlobalOptions): { view: AppView; secretValues: readonly string[] } {
  // An empty -C would resolve to the current folder, not the repository around it: a mistake to say.
  if (opts.workspace?.trim() === '')
    throw new FoundationError('E_USAGE', '--workspace is empty', 'give it a folder, or leave it out');
  // A workspace that does not exist is a typo, not a place to create: nothing is written there.
  const workspace = opts.workspace === undefined ? defaultWorkspace(process.cwd()) : resolve(opts.workspace);
  checkWorkspace(workspace);
  // An empty --concurrency would read as unset (as an empty variable does): a flag given empty is a mistake.
  if (opts.concurrency?.trim() === '')
    throw new FoundationError('E_USAGE', '--concurrency is empty', 'give it a whole number from 1 to 16');
  const parsed = loadConfig({
    workspace,
    env: process.env,
    overrides: {
      FOUNDATION_TARGET: opts.target === undefined ? undefined : { value: opts.target, source: '--target' },
      FOUNDATION_CONCURRENCY:
        opts.concurrency === undefined ? undefined : { value: opts.concurrency, source: '--concurrency' },
    },
  });
  const redactor = new Redactor(parsed.secretValues);
  rt.redactor = redactor;
  rt.graceMs = parsed.config.cancelGraceMs;
  // What in .env looks like a mistake (a name set twice, a typo of a setting): said on stderr, never fatal.
  for (const warning of parsed.warnings)
    process.stderr.write(`foundation: warning: ${redactor.redact(warning)}\n`);
  const output: OutputMode = opts.json
    ? 'json'
    : // A terminal that cannot move its cursor (TERM=dumb) or reports no width gets the plain lines.
      process.stdout.isTTY &&
        !truthy(process.env.CI) &&
        process.env.TERM !== 'dumb' &&
        process.stdout.columns > 0
      ? 'tty'
      : 'plain';
  const view: AppView = {
    tasks: TASK_MANIFEST,
    config: parsed.config,
    redactor,
    workspace,
    cwd: invocationDir(opts),
    shell: process.cwd(),
    output,
    style: createStyler(
      colourWanted({ isTTY: process.stdout.isTTY, json: output === 'json', env: process.env }),
    ),
    signal: rt.controller.signal,
    stdout: (text) => process.stdout.write(redactor.redact(text)),
    stderr: (text) => process.stderr.write(redactor.redact(text)),
  };
  return { view, secretValues: parsed.secretValues };
}

/**
 * Every other command's App: the view plus the task modules and the world (adapters), loaded here on
 * demand so that `list`, `graph` and `--help` never pay for them.
 */
export async function buildApp(
  rt: CliRuntime,
  opts: GlobalOptions,
  request: ValidationRequest = NO_REQUEST,
  completion?: (shell: CompletionShell) => string,
): Promise<App> {
  const { view, secretValues } = loadView(rt, opts);
  const [{ createWorld }, { TASKS }, { checkOtherTasks }, { RunStore, newRunId, readLatestSummary }] =
    await Promise.all([
      import('../lib/adapters/world.js'),
      import('../tasks/index.js'),
      import('../lib/commands/validate.js'),
      import('../lib/adapters/run-store.js'),
    ]);
  const { config } = view;
  const world = createWorld({
    config,
    workspace: view.workspace,
    redactor: view.redactor,
    env: process.env,
    children: rt.children,
    ...(completion === undefined ? {} : { completion }),
  });
  const app: App = {
    ...view,
    tasks: TASKS,
    children: { settle: (graceMs = config.cancelGraceMs) => rt.children.settle(graceMs) },
    makeContext: (signal, log) =>
      world.contextFor(signal, log, {
        request,
        checkTasks: (s) => checkOtherTasks(app, s),
        environment: () => ({
          foundation: version(),
          node: process.versions.node,
          os: `${process.platform} ${process.arch}`,
          target: config.target,
          'kafka brokers': config.kafkaBrokers.join(','),
        }),
      }),
    openRunStore: () => new RunStore(view.workspace, newRunId()),
    lastSummary: () => readLatestSummary(view.workspace),
    liveView: async () => (await import('../lib/ui/listr-view.js')).createListrView(),
    generator: world.generator,
    // Loaded only for runs: OpenTelemetry and pino would slow the other commands down.
    observe: async (runDir) => {
      const { createRunTelemetry } = await import('../lib/adapters/telemetry.js');
      rt.telemetry ??= createRunTelemetry({
        config,
        secretValues,
        version: version(),
      });
      return rt.telemetry.observe(runDir);
    },
  };
  return app;
}

/**
 * `validate`'s App: its flags as the request, `--out` read from where the command runs (-C's folder with
 * -C) and made ready only once the workspace is known to exist (a mistyped -C writes nothing), before
 * anything is measured.
 */
export async function validateApp(
  rt: CliRuntime,
  opts: GlobalOptions,
  o: { out?: string; skipPerf?: boolean; restartBroker?: boolean; restartCluster?: boolean },
  completion?: (shell: CompletionShell) => string,
): Promise<App> {
  const out =
    o.out === undefined ? undefined : o.out === '' ? '' : userPath({ cwd: invocationDir(opts) }, o.out);
  const request: ValidationRequest = {
    skipPerf: o.skipPerf === true,
    restartBroker: o.restartBroker === true,
    restartCluster: o.restartCluster === true,
    ...(out === undefined ? {} : { out }),
  };
  const app = await buildApp(rt, opts, request, completion);
  if (out !== undefined) (await import('../lib/adapters/report-store.js')).prepareOutDir(out);
  return app;
}
