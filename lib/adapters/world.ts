import { isAbsolute, join } from 'node:path';
import type { ToolRelease } from '../prereqs/releases.js';
import type { Config } from '../config/schema.js';
import type { TaskContext } from '../model/context.js';
import type { TaskLogger } from '../ports/log.js';
import type { Redactor } from '../redact.js';
import type { Validation } from '../validate/context.js';
import { createBusProbe } from './bus-probe.js';
import { TOOL_DIR, createCiTools } from './ci-tools.js';
import { createAutomation } from './automation.js';
import type { CompletionShell } from '../ports/automation.js';
import { createReportStore } from './report-store.js';
import { createCompose } from './compose.js';
import { createHttpProbe, createSecretScan } from './validation.js';
import { createReachProbe } from './reach.js';
import { createDocker, createK3d } from './containers.js';
import { createGit, createTools } from './dev-tools.js';
import { createNpm } from './npm.js';
import { createFiles } from './files.js';
import { createListeners } from './listeners.js';
import { createHelm } from './helm.js';
import { connectKube, createKube } from './kube.js';
import { detectPlatform } from './platform.js';
import { createSecrets } from './secrets.js';
import { createShell } from './shell.js';
import type { ChildRegistry } from './children.js';
import { inspectTarget } from './target-dir.js';
import { readTemplate } from './template-files.js';
import { writeNewTree, writeTree } from './tree.js';
import { realClock } from '../wait/clock.js';

/** What the caller adds to task 0-13's part of the context: the request, the other tasks' checks, versions. */
export type ValidationParts = Pick<Validation, 'request' | 'checkTasks' | 'environment'>;

/** Outside the CLI (helper scripts): task 0-13 cannot check the other tasks there. */
const STANDALONE: ValidationParts = {
  request: { skipPerf: false, restartBroker: false, restartCluster: false },
  checkTasks: () => Promise.reject(new Error('the other tasks are checked only through the foundation CLI')),
  environment: () => ({}),
};

export interface WorldDeps {
  readonly config: Config;
  readonly workspace: string;
  readonly redactor: Redactor;
  /** The environment the configuration was loaded from: it overrides .env's secrets too (Secrets.values). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The CLI's completion script per shell (only the CLI has its command tree). */
  readonly completion?: (shell: CompletionShell) => string;
  /** The pinned tool releases 0-1 installs (default: lib/prereqs/pins.ts; tests give their own). */
  readonly releases?: readonly ToolRelease[];
  /**
   * The CLI's child registry: every process a task starts is tracked, so a cancelled run can wait for
   * them. Without it (helper scripts) children are started as before, in the caller's process group.
   */
  readonly children?: ChildRegistry;
}

/**
 * The real world, built once per command by the composition root (scripts/cli.ts): long-lived parts
 * (files, the Kubernetes connection, the template) are made here once; each task's context binds the
 * command-running adapters to its own cancellation signal and log.
 */
export function createWorld(deps: WorldDeps) {
  const platform = detectPlatform(deps.workspace);
  const files = createFiles(deps.workspace);
  const secrets = createSecrets(deps.redactor, files, deps.env);
  const kubeConnection = connectKube();
  const template = () => readTemplate(platform.packageRoot);
  const at = (dir: string): string => (isAbsolute(dir) ? dir : join(deps.workspace, dir));
  return {
    platform,
    /** What `foundation new service` uses. */
    generator: { template, inspect: inspectTarget, writeNew: writeNewTree },
    contextFor(signal: AbortSignal, log: TaskLogger, validation: ValidationParts = STANDALONE): TaskContext {
      const toolDir = join(deps.workspace, TOOL_DIR, 'bin');
      const spawn = deps.children === undefined ? {} : { spawn: deps.children.spawn };
      const sh = createShell({ cwd: deps.workspace, signal, log, os: platform.os, toolDir, ...spawn });
      return {
        validation: {
          ...validation,
          bus: createBusProbe(deps.config.kafkaClient),
          secrets: createSecretScan(sh),
          http: createHttpProbe(),
          reach: createReachProbe(),
          store: createReportStore(deps.workspace, deps.redactor),
        },
        config: deps.config,
        target: deps.config.target,
        signal,
        clock: realClock,
        log,
        files,
        listeners: createListeners(),
        platform,
        secrets,
        // Loaded on first use, like the Kubernetes client: `list` and `graph` need neither.
        kafka: { connect: async (brokers) => (await import('./kafka-admin.js')).connectTopicAdmin(brokers) },
        kube: createKube(kubeConnection, sh),
        helm: createHelm(sh),
        docker: createDocker(sh),
        k3d: createK3d(sh),
        compose: createCompose(sh),
        tools: createTools(sh, {
          binDir: toolDir,
          os: platform.os,
          signal,
          ...spawn,
          ...(deps.config.toolsMirror === undefined ? {} : { mirror: deps.config.toolsMirror }),
          ...(deps.releases === undefined ? {} : { releases: deps.releases }),
        }),
        git: createGit(sh, files, platform),
        npm: createNpm(sh, files),
        ci: createCiTools(sh, deps.workspace),
        automation: createAutomation(deps.completion ?? null),
        generator: {
          template,
          writeTree: (dir, tree) => {
            writeTree(at(dir), tree);
            return Promise.resolve();
          },
        },
      };
    },
  };
}

export type World = ReturnType<typeof createWorld>;
