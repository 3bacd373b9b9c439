// What the helper scripts share: the workspace's configuration through the loader `foundation` uses (with
// a script's own flags as overrides), the redactor for everything they print, and the real adapters.
import { resolve } from 'node:path';
import { createWorld } from '../lib/adapters/world.js';
import { loadConfig } from '../lib/config/load.js';
import { checkWorkspace, defaultWorkspace } from '../lib/config/workspace.js';
import type { Config, RawValue } from '../lib/config/schema.js';
import type { TaskContext } from '../lib/model/context.js';
import { Redactor } from '../lib/redact.js';
import { useRedactor } from './run-script.js';

export interface ScriptWorld {
  readonly ctx: TaskContext;
  readonly config: Config;
  readonly redactor: Redactor;
  readonly workspace: string;
}

/** A task context for the workspace (the current folder unless given); its log lines go to stderr. */
export function scriptWorld(
  workspace: string | undefined,
  overrides: Readonly<Record<string, RawValue | undefined>> = {},
): ScriptWorld {
  const dir = workspace === undefined ? defaultWorkspace(process.cwd()) : resolve(workspace);
  checkWorkspace(dir);
  const parsed = loadConfig({ workspace: dir, env: process.env, overrides });
  const redactor = new Redactor(parsed.secretValues);
  useRedactor(redactor);
  const write = (text: string) => process.stderr.write(`${redactor.redact(text)}\n`);
  const log = { info: write, warn: write, debug: () => undefined };
  const world = createWorld({ config: parsed.config, workspace: dir, redactor, env: process.env });
  return {
    ctx: world.contextFor(new AbortController().signal, log),
    config: parsed.config,
    redactor,
    workspace: dir,
  };
}
