// What the helper scripts share: the workspace's configuration through the loader `foundation` uses (with
// a script's own flags as overrides), the redactor for everything they print, and the real adapters.
import { createWorld } from '../lib/adapters/world.js';
import type { Config, RawValue } from '../lib/config/schema.js';
import type { TaskContext } from '../lib/model/context.js';
import type { TaskLogger } from '../lib/ports/log.js';
import type { Redactor } from '../lib/redact.js';
import { scriptConfig } from './script-config.js';

export interface ScriptWorld {
  readonly ctx: TaskContext;
  readonly config: Config;
  readonly redactor: Redactor;
  readonly workspace: string;
}

/**
 * A task context for the workspace (the current folder unless given); its log lines go to stderr, or to
 * `log` when a script says them otherwise (wait-for-infra prints only its report).
 */
export function scriptWorld(
  workspace: string | undefined,
  overrides: Readonly<Record<string, RawValue | undefined>> = {},
  log?: TaskLogger,
): ScriptWorld {
  const { loaded, redactor, workspace: dir } = scriptConfig(workspace, overrides);
  const write = (text: string) => process.stderr.write(`${redactor.redact(text)}\n`);
  const world = createWorld({ config: loaded.config, workspace: dir, redactor, env: process.env });
  return {
    ctx: world.contextFor(
      new AbortController().signal,
      log ?? { info: write, warn: write, debug: () => undefined },
    ),
    config: loaded.config,
    redactor,
    workspace: dir,
  };
}
