import type { Config } from '../config/schema.js';
import type { TaskContext, TaskLogger } from '../model/context.js';
import type { Redactor } from '../redact.js';
import { createFiles } from './files.js';
import { detectPlatform } from './platform.js';
import { createSecrets } from './secrets.js';
import { createHelm } from './helm.js';
import { createKube } from './kube.js';
import { createShell } from './shell.js';
import { readTemplate } from './template-files.js';
import { writeTree } from './tree.js';
import { join, isAbsolute } from 'node:path';

export interface ContextDeps {
  readonly config: Config;
  readonly workspace: string;
  readonly redactor: Redactor;
  readonly signal: AbortSignal;
  readonly log: TaskLogger;
}

/** The real world, as one task sees it: adapters bound to its signal and its log. */
export function createContext(deps: ContextDeps): TaskContext {
  const platform = detectPlatform(deps.workspace);
  const sh = createShell({ cwd: deps.workspace, signal: deps.signal, log: deps.log });
  return {
    config: deps.config,
    target: deps.config.target,
    signal: deps.signal,
    log: deps.log,
    sh,
    files: createFiles(deps.workspace),
    platform,
    secrets: createSecrets(deps.redactor),
    // Loaded on first use, like the Kubernetes client: `list` and `graph` need neither.
    kafka: { connect: async (brokers) => (await import('./kafka-admin.js')).connectTopicAdmin(brokers) },
    kube: createKube(),
    helm: createHelm(sh),
    generator: {
      template: () => readTemplate(platform.packageRoot),
      writeTree: (dir, files) => {
        writeTree(isAbsolute(dir) ? dir : join(deps.workspace, dir), files);
        return Promise.resolve();
      },
    },
  };
}
