import { join } from 'node:path';
import { fileDrift, restartNeeded, serviceDrift, type ServiceDrift } from '../lib/compose/drift.js';
import { platformProject, type PlatformProject } from '../lib/compose/project.js';
import { portsFree } from '../lib/compose/ports-free.js';
import { ENV_FILE, envFileText } from '../lib/compose/render.js';
import { SOURCE_PATHS } from '../lib/compose/sources.js';
import { unhealthyServices } from '../lib/compose/unhealthy.js';
import { FoundationError } from '../lib/errors.js';
import type { TaskContext } from '../lib/model/context.js';
import { defineTask, type CheckResult } from '../lib/model/task.js';

/** How long `up --wait` may take before the services still not healthy are named. */
const UP_TIMEOUT_S = 300;

const envText = (p: PlatformProject) =>
  envFileText(p.rendered.env, [
    ...Object.values(SOURCE_PATHS.values),
    SOURCE_PATHS.redpanda,
    SOURCE_PATHS.console,
  ]);

/** The generated folder as it is on disk, by rendered path. */
async function onDisk(ctx: TaskContext, p: PlatformProject): Promise<Map<string, string | null>> {
  const paths = [...p.rendered.files.map((f) => f.path), ENV_FILE];
  const texts = await Promise.all(paths.map((path) => ctx.files.read(join(p.generatedDir, path))));
  return new Map(paths.map((path, i) => [path, texts[i] ?? null]));
}

const lines = (drift: readonly ServiceDrift[]) => drift.map((d) => `${d.service}: ${d.what}`).join('\n');

async function prepared(ctx: TaskContext): Promise<PlatformProject | CheckResult> {
  const p = await platformProject(ctx);
  if ('missingSecrets' in p)
    return {
      status: 'blocked',
      reason: `.env has no ${p.missingSecrets.join(', ')} (the Compose platform needs it)`,
      hint: 'foundation run 0-1 (generates it into .env)',
    };
  const docker = await ctx.docker.version();
  const compose = docker.server === null ? null : await ctx.compose.version();
  if (compose === null)
    return {
      status: 'blocked',
      reason: docker.server === null ? 'no Docker engine answers' : 'the Docker Compose v2 plugin is missing',
      hint: 'foundation run 0-1 (it checks Docker and Compose and says how to get them)',
    };
  return p;
}

/**
 * 0-7 compose: the whole platform on Docker Compose (target compose), configured from the same files as
 * Kubernetes. Check: the rendered configuration equals what was written and what each container runs,
 * and every service is running and healthy. Apply: write the configuration, `up -d --wait`, restart a
 * service whose files were repaired under it.
 */
export default defineTask({
  id: '0-7',
  title: 'The platform on Docker Compose',
  deps: ['0-1'],
  targets: ['compose'],
  hint: 'foundation run 0-7 --target compose (or: scripts/infra-up; docs/compose.md)',
  timeoutMs: 15 * 60_000,
  async check(ctx): Promise<CheckResult> {
    const p = await prepared(ctx);
    if (!('project' in p)) return p;
    const files = fileDrift(p.rendered, await onDisk(ctx, p), envText(p));
    if (files.some((d) => d.what === `${ENV_FILE} not written`))
      return {
        status: 'missing',
        reason: 'the Compose configuration is not rendered yet',
        diff: lines(files),
      };
    const expected = await ctx.compose.services(p.project);
    const running = await ctx.compose.ps(p.project);
    const services = serviceDrift(expected, running, await ctx.compose.hashes(p.project), p.rendered);
    const all = [...files, ...services];
    if (all.length === 0)
      return {
        status: 'ok',
        detail: `${expected.length} services running and healthy; configuration as rendered from k8s/`,
      };
    const absent = running.length === 0;
    return {
      status: absent ? 'missing' : 'drift',
      reason: absent
        ? 'the Compose platform is not running'
        : `${new Set(all.map((d) => d.service)).size} service(s) differ from the configuration or are not healthy`,
      diff: lines(all),
    };
  },
  async apply(ctx) {
    const p = await prepared(ctx);
    if (!('project' in p))
      throw new FoundationError(
        'E_NOT_CONVERGED',
        'reason' in p ? p.reason : 'the Compose platform cannot start',
        'hint' in p ? p.hint : 'foundation run 0-1',
      );
    const disk = await onDisk(ctx, p);
    const files = fileDrift(p.rendered, disk, envText(p));
    const wanted = [...p.rendered.files, { path: ENV_FILE, content: envText(p) }];
    const stale = wanted.filter((f) => disk.get(f.path) !== f.content);
    for (const f of stale) await ctx.files.write(join(p.generatedDir, f.path), f.content);
    if (stale.length > 0)
      ctx.log.info(
        `wrote ${stale.length} file(s) in ${p.generatedDir}: ${stale.map((f) => f.path).join(', ')}`,
      );
    const before = await ctx.compose.ps(p.project);
    await portsFree(ctx, p.project, before, 'the Compose platform');
    const started = performance.now();
    try {
      await ctx.compose.up(p.project, { timeoutS: UP_TIMEOUT_S, build: true });
    } catch (error) {
      throw await unhealthyServices(ctx, p.project, error, {
        what: 'the Compose platform',
        fix: `see the whole log: docker compose -f ${p.project.file} logs <service>; fix and run foundation run 0-7 again`,
      });
    }
    ctx.log.info(
      `docker compose up --wait: healthy in ${((performance.now() - started) / 1_000).toFixed(1)} s`,
    );
    const restart = restartNeeded(files, before, p.rendered);
    if (restart.length > 0) {
      ctx.log.info(`restarting ${restart.join(', ')}: their configuration files were repaired`);
      await ctx.compose.restart(p.project, restart);
    }
  },
});
