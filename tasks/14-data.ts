import { portsFree } from '../lib/compose/ports-free.js';
import { platformProject } from '../lib/compose/project.js';
import {
  DATA_SERVICES,
  DATA_WORKLOADS,
  dataAddresses,
  dataObjects,
  dataSecrets,
} from '../lib/data/stores.js';
import { FoundationError } from '../lib/errors.js';
import { objectsDriftReport } from '../lib/k8s/converge.js';
import { describeObject } from '../lib/k8s/manifests.js';
import { notReady } from '../lib/k8s/workloads.js';
import type { ComposeProject, TaskContext } from '../lib/model/context.js';
import { defineTask, type CheckResult } from '../lib/model/task.js';

const HINT = 'foundation run 0-1 (generates POSTGRES_PASSWORD and REDIS_PASSWORD into .env)';

/** The Compose project with the `data` profile on and both services defined, or why there is none. */
async function dataProject(ctx: TaskContext): Promise<ComposeProject | { blocked: string; hint: string }> {
  const p = await platformProject(ctx);
  if (!('project' in p)) return { blocked: `.env has no ${p.missingSecrets.join(', ')}`, hint: HINT };
  const project = { ...p.project, profiles: ['data'] };
  const defined = await ctx.compose.services(project);
  const absent = DATA_SERVICES.filter((s) => !defined.includes(s));
  if (absent.length > 0)
    return {
      blocked: `${project.file} defines no ${absent.join(' or ')} service in the data profile`,
      hint: 'add them as compose/docker-compose.infra.yml has them (docs/compose.md), or use that file (FOUNDATION_COMPOSE_FILE)',
    };
  return project;
}

async function checkCompose(ctx: TaskContext): Promise<CheckResult> {
  const project = await dataProject(ctx);
  if ('blocked' in project) return { status: 'blocked', reason: project.blocked, hint: project.hint };
  const running = await ctx.compose.ps(project);
  const bad = DATA_SERVICES.flatMap((name) => {
    const s = running.find((r) => r.service === name);
    if (s === undefined) return [`${name}: not running`];
    if (s.state !== 'running' || (s.health !== '' && s.health !== 'healthy'))
      return [`${name}: ${s.state === 'running' ? s.health : s.state}`];
    return [];
  });
  if (bad.length === 0)
    return { status: 'ok', detail: 'postgres and redis (profile data) running and healthy' };
  return {
    status:
      bad.length === DATA_SERVICES.length && bad.every((b) => b.endsWith('not running'))
        ? 'missing'
        : 'drift',
    reason: bad.join('; '),
  };
}

async function checkKube(ctx: TaskContext): Promise<CheckResult> {
  const secrets = await dataSecrets(ctx);
  if ('missing' in secrets)
    return { status: 'blocked', reason: `.env has no ${secrets.missing.join(', ')}`, hint: HINT };
  const drift = await objectsDriftReport(ctx.kube, await dataObjects(ctx, secrets.values));
  if (drift.lines.length > 0)
    return {
      status: drift.lines.every((l) => l.endsWith(': missing')) ? 'missing' : 'drift',
      reason: `${drift.lines.length} object(s) differ from k8s/data`,
      diff: drift.lines.join('\n'),
      changes: drift.changes,
    };
  for (const ref of DATA_WORKLOADS) {
    const live = await ctx.kube.read({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { name: ref.name, namespace: 'infra' },
    });
    const why = live === null ? 'missing' : notReady(live);
    if (why !== null) return { status: 'drift', reason: `statefulset/${ref.name}: ${why}` };
  }
  return { status: 'ok', detail: 'postgres and redis ready in infra' };
}

/**
 * 0-14 data: PostgreSQL 17 and Redis 7 for services made with `--with postgres,redis` — on Kubernetes
 * the StatefulSets of k8s/data in infra (passwords from .env through the Secret data-credentials), on
 * Compose the `data` profile. Check: objects as rendered, workloads ready (Compose: healthy).
 */
export default defineTask({
  id: '0-14',
  title: 'Service data: PostgreSQL 17 and Redis 7',
  deps: ['0-1', '0-2', '0-7'],
  hint: 'foundation run 0-14 (docs/services.md#the-service-kit)',
  timeoutMs: 8 * 60_000,
  async check(ctx) {
    return ctx.target === 'compose' ? checkCompose(ctx) : checkKube(ctx);
  },
  async apply(ctx) {
    if (ctx.target === 'compose') {
      const project = await dataProject(ctx);
      if ('blocked' in project) throw new FoundationError('E_NOT_CONVERGED', project.blocked, project.hint);
      const now = await ctx.compose.ps(project);
      await portsFree(ctx, project, now, 'Postgres and Redis (profile data)', (s) =>
        (DATA_SERVICES as readonly string[]).includes(s),
      );
      await ctx.compose.up(project, { timeoutS: 180, services: DATA_SERVICES });
    } else {
      const secrets = await dataSecrets(ctx);
      if ('missing' in secrets)
        throw new FoundationError('E_NOT_CONVERGED', `.env has no ${secrets.missing.join(', ')}`, HINT);
      for (const o of await dataObjects(ctx, secrets.values)) {
        await ctx.kube.apply(o);
        ctx.log.debug(`applied ${describeObject(o)}`);
      }
      for (const ref of DATA_WORKLOADS) {
        const result = await ctx.kube.rollout(ref, { timeoutMs: ref.timeoutMs, signal: ctx.signal });
        if (!result.ready)
          throw new FoundationError(
            'E_NOT_CONVERGED',
            `statefulset/${ref.name} did not roll out in ${ref.timeoutMs / 1_000} s: ${result.reason}`,
            `see why: kubectl -n infra describe statefulset ${ref.name}; kubectl -n infra logs ${ref.name}-0`,
          );
      }
    }
    const at = dataAddresses(ctx.target);
    ctx.log.info(`services reach ${at.postgres} and ${at.redis}`);
  },
});
