// What the infra-* scripts share: the workspace's configuration (the loader `foundation` uses), the real
// adapters, and the Compose project of the compose target as task 0-7 describes it.
import { resolve } from 'node:path';
import { createWorld } from '../../lib/adapters/world.js';
import { platformProject, type PlatformProject } from '../../lib/compose/project.js';
import { loadConfig } from '../../lib/config/load.js';
import type { TaskContext } from '../../lib/model/context.js';
import { Redactor } from '../../lib/redact.js';
import { useRedactor } from '../run-script.js';

export interface InfraWorld {
  readonly ctx: TaskContext;
  readonly redactor: Redactor;
}

/** The compose target's context for the workspace (the current folder unless --workspace). */
export function infraWorld(workspace: string | undefined): InfraWorld {
  const dir = resolve(workspace ?? process.cwd());
  const parsed = loadConfig({
    workspace: dir,
    env: process.env,
    overrides: { FOUNDATION_TARGET: { value: 'compose', source: 'infra script' } },
  });
  const redactor = new Redactor(parsed.secretValues);
  useRedactor(redactor);
  const world = createWorld({ config: parsed.config, workspace: dir, redactor });
  const write = (text: string) => process.stderr.write(`${redactor.redact(text)}\n`);
  const log = { info: write, warn: write, debug: () => undefined };
  return { ctx: world.contextFor(new AbortController().signal, log), redactor };
}

/** The project to stop or inspect, or null when it was never rendered here (so never started). */
export async function renderedProject(ctx: TaskContext): Promise<PlatformProject | null> {
  const p = await platformProject(ctx, { stopOnly: true });
  if (!('project' in p)) return null;
  return (await ctx.files.exists(p.project.envFiles?.[0] ?? '')) ? p : null;
}
