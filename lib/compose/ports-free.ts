// Before `docker compose up`: the ports the services about to start publish must be free. Compose resolves
// them (Compose.published: variables, includes, profiles); another program on one is named now, before
// anything starts, instead of Docker's "port is already allocated" halfway through.
import type { ComposeProject, ComposeService, TaskContext } from '../model/context.js';
import { busyPorts, portsInUse } from '../prereqs/host-ports.js';

/**
 * Throws E_PORT_IN_USE when a port of a service about to start is taken: one `starting` names that is not
 * running in `now` (the project's `ps`). `what` is what could not start ("the Compose platform").
 */
export async function portsFree(
  ctx: Pick<TaskContext, 'compose' | 'listeners'>,
  project: ComposeProject,
  now: readonly ComposeService[],
  what: string,
  starting: (service: string) => boolean = () => true,
): Promise<void> {
  const running = new Set(now.filter((s) => s.state === 'running').map((s) => s.service));
  const wanted = (await ctx.compose.published(project))
    .filter((p) => starting(p.service) && !running.has(p.service))
    .map(({ service, host, port }) => ({ owner: service, host, port }));
  const busy = await busyPorts(ctx.listeners, wanted);
  if (busy.length > 0) throw portsInUse(busy, what);
}
