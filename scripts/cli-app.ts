// The CLI's App: the configuration loaded for this invocation and the adapters every command uses.
// Part of the composition root (scripts/cli.ts); here the process's environment and streams are read.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_GRACE_MS, createChildren, type ChildRegistry } from '../lib/adapters/children.js';
import { packageRoot } from '../lib/adapters/platform.js';
import { RunStore, newRunId, readLatestSummary } from '../lib/adapters/run-store.js';
import type { RunTelemetry } from '../lib/adapters/telemetry.js';
import { createWorld } from '../lib/adapters/world.js';
import type { App, OutputMode } from '../lib/commands/app.js';
import { checkOtherTasks } from '../lib/commands/validate.js';
import { loadConfig } from '../lib/config/load.js';
import { FoundationError } from '../lib/errors.js';
import type { CompletionShell } from '../lib/ports/automation.js';
import { Redactor } from '../lib/redact.js';
import { colourWanted, createStyler } from '../lib/ui/style.js';
import type { ValidationRequest } from '../lib/validate/context.js';
import { TASKS } from '../tasks/index.js';
import { truthy } from '../lib/config/flags.js';

export interface GlobalOptions {
  target?: string;
  concurrency?: string;
  json?: boolean;
  workspace: string;
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

export function buildApp(
  rt: CliRuntime,
  opts: GlobalOptions,
  request: ValidationRequest = NO_REQUEST,
  completion?: (shell: CompletionShell) => string,
): App {
  const workspace = resolve(opts.workspace);
  // A workspace that does not exist is a typo, not a place to create: nothing is written there.
  if (!existsSync(workspace))
    throw new FoundationError(
      'E_USAGE',
      `the workspace ${workspace} does not exist`,
      'create it first (mkdir -p …), or pass -C with an existing folder',
    );
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
  const world = createWorld({
    config: parsed.config,
    workspace,
    redactor,
    children: rt.children,
    ...(completion === undefined ? {} : { completion }),
  });
  const output: OutputMode = opts.json
    ? 'json'
    : process.stdout.isTTY && !truthy(process.env.CI)
      ? 'tty'
      : 'plain';
  const app: App = {
    tasks: TASKS,
    config: parsed.config,
    redactor,
    workspace,
    output,
    style: createStyler(
      colourWanted({ isTTY: process.stdout.isTTY, json: output === 'json', env: process.env }),
    ),
    signal: rt.controller.signal,
    children: { settle: (graceMs = parsed.config.cancelGraceMs) => rt.children.settle(graceMs) },
    stdout: (text) => process.stdout.write(redactor.redact(text)),
    stderr: (text) => process.stderr.write(redactor.redact(text)),
    makeContext: (signal, log) =>
      world.contextFor(signal, log, {
        request,
        checkTasks: (s) => checkOtherTasks(app, s),
        environment: () => ({
          foundation: version(),
          node: process.versions.node,
          os: `${process.platform} ${process.arch}`,
          target: parsed.config.target,
          'kafka brokers': parsed.config.kafkaBrokers.join(','),
        }),
      }),
    openRunStore: () => new RunStore(workspace, newRunId()),
    liveView: async () => (await import('../lib/ui/listr-view.js')).createListrView(),
    lastSummary: () => readLatestSummary(workspace),
    generator: world.generator,
    // Loaded only for runs: OpenTelemetry and pino would slow `list` and `graph` down.
    observe: async (runDir) => {
      const { createRunTelemetry } = await import('../lib/adapters/telemetry.js');
      rt.telemetry ??= createRunTelemetry({
        config: parsed.config,
        secretValues: parsed.secretValues,
        version: version(),
      });
      return rt.telemetry.observe(runDir);
    },
  };
  return app;
}
