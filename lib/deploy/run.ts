import { composeFilePath } from '../compose/project.js';
import { FoundationError } from '../errors.js';
import type { TaskContext } from '../model/context.js';
import { onCompose } from './compose.js';
import { onKube } from './kube.js';
import { healthy } from './plan.js';
import type { DeployProgress, DeployTrail } from './stages.js';

export type { DeployProgress, DeployTrail } from './stages.js';

/**
 * Deploy one service to the configured target with visible progress, ending with its health checks.
 * Fills `trail` as it goes; throws a FoundationError when a stage fails or a health check does.
 */
export async function deployService(
  ctx: TaskContext,
  svc: { name: string; dir: string },
  o: { timeoutMs: number },
  trail: DeployTrail,
  progress: DeployProgress,
): Promise<void> {
  if (ctx.target === 'compose') await onCompose(ctx, svc, o, trail, progress);
  else await onKube(ctx, svc, o, trail, progress);
  if (!healthy(trail.health))
    throw new FoundationError(
      'E_NOT_CONVERGED',
      `${svc.name} is running but its health checks did not pass: ${trail.health
        .filter((h) => h.ok !== true)
        .map((h) => `${h.name}: ${h.detail}`)
        .join('; ')}`,
      `see its logs: ${ctx.target === 'compose' ? `docker compose --env-file .env -f ${composeFilePath(ctx)} logs ${svc.name}` : `kubectl -n services logs deployment/${svc.name}`}`,
    );
}
