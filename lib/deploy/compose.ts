import { platformProject } from '../compose/project.js';
import { unhealthyServices } from '../compose/unhealthy.js';
import { FoundationError } from '../errors.js';
import type { TaskContext } from '../model/context.js';
import {
  PROBE_TIMEOUT_MS,
  requireDockerEngine,
  timed,
  type DeployProgress,
  type DeployTrail,
} from './stages.js';

/** The template's services listen on PORT 3000 in their container (service-template/src/config.ts). */
const CONTAINER_PORT = 3000;

/** On Compose: build and start the one service (its dependencies left as they are), probe its health. */
export async function onCompose(
  ctx: TaskContext,
  svc: { name: string },
  o: { timeoutMs: number },
  trail: DeployTrail,
  p: DeployProgress,
): Promise<void> {
  const platform = await platformProject(ctx);
  if (!('project' in platform))
    throw new FoundationError(
      'E_CONFIG_INVALID',
      `.env lacks ${platform.missingSecrets.join(', ')}, which the Compose files need`,
      'foundation run 0-1',
    );
  const { project } = platform;
  // Task 0-7 renders the platform's settings there and brings the platform up; a service without it has
  // no broker, no collector, and Compose cannot even read its files.
  const rendered = project.envFiles?.[0];
  if (rendered !== undefined && !(await ctx.files.exists(rendered)))
    throw new FoundationError(
      'E_DEPENDENCY_NOT_CONVERGED',
      `the Compose platform is not set up here (${rendered} is missing): a service needs it running`,
      'foundation run 0-7 --target compose (or scripts/infra-up), then deploy again',
    );
  if (!(await ctx.compose.services(project)).includes(svc.name))
    throw new FoundationError(
      'E_USAGE',
      `${svc.name} is not a service of ${project.file}`,
      'add it to compose/docker-compose.yml as demo-service is (docs/compose.md), then deploy again',
    );
  await timed(trail, p, 'rollout', `docker compose up --build ${svc.name}`, async () => {
    // In the stage, as on Kubernetes (its build stage): recorded alike on both targets.
    await requireDockerEngine(ctx, 'the service cannot be built or started');
    try {
      await ctx.compose.up(project, {
        build: true,
        services: [svc.name],
        timeoutS: Math.round(o.timeoutMs / 1000),
      });
    } catch (error) {
      // Its last log lines, and those of a platform service that is down (the broker it needs).
      throw await unhealthyServices(ctx, project, error, {
        what: svc.name,
        fix: `see the whole log: docker compose --env-file .env -f ${project.file} logs ${svc.name}; a platform service down: foundation run 0-7 --target compose`,
      });
    }
    trail.image = await ctx.compose.image(project, svc.name).catch(() => null);
    return { value: null, detail: 'built, started, healthy by its Compose healthcheck' };
  });
  await timed(trail, p, 'health', `${svc.name}'s probes`, async () => {
    const state = (await ctx.compose.ps(project)).find((s) => s.service === svc.name);
    trail.health = [
      {
        name: 'container healthy',
        ok: state === undefined ? false : state.health === '' ? null : state.health === 'healthy',
        detail:
          state === undefined
            ? 'no container'
            : `${state.state}${state.health === '' ? ' (no healthcheck)' : `, ${state.health}`}`,
      },
    ];
    const address = await ctx.compose.port(project, svc.name, CONTAINER_PORT);
    for (const path of ['/readyz', '/livez']) {
      if (address === null) {
        trail.health.push({
          name: `GET ${path}`,
          ok: null,
          detail: `port ${CONTAINER_PORT} is not published`,
        });
        continue;
      }
      const url = `http://${address}${path}`;
      try {
        const a = await ctx.validation.http.get(url, PROBE_TIMEOUT_MS);
        trail.health.push({
          name: `GET ${url}`,
          ok: a.status >= 200 && a.status < 300,
          detail: `HTTP ${a.status}`,
        });
      } catch (e) {
        trail.health.push({
          name: `GET ${url}`,
          ok: false,
          detail: e instanceof Error ? e.message : String(e),
        });
      }
    }
    return {
      value: null,
      detail: `${trail.health.filter((h) => h.ok === true).length}/${trail.health.length} checks passed`,
    };
  });
}
