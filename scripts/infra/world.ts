// What the infra-* scripts share: the workspace's configuration (the loader `foundation` uses), the real
// adapters, and the Compose project of the compose target as task 0-7 describes it.
import { platformProject, type PlatformProject } from '../../lib/compose/project.js';
import type { TaskContext } from '../../lib/model/context.js';
import { scriptWorld, type ScriptWorld } from '../script-world.js';

export type InfraWorld = Pick<ScriptWorld, 'ctx' | 'redactor'>;

/** The compose target's context for the workspace (found from the current folder unless --workspace: lib/config/workspace.ts). */
export function infraWorld(workspace: string | undefined): InfraWorld {
  return scriptWorld(workspace, { FOUNDATION_TARGET: { value: 'compose', source: 'infra script' } });
}

/** The project to stop or inspect, or null when it was never rendered here (so never started). */
export async function renderedProject(ctx: TaskContext): Promise<PlatformProject | null> {
  const p = await platformProject(ctx, { stopOnly: true });
  if (!('project' in p)) return null;
  return (await ctx.files.exists(p.project.envFiles?.[0] ?? '')) ? p : null;
}
