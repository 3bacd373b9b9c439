import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FoundationError } from '../lib/errors.js';
import { readPackageFile } from '../lib/model/package-files.js';
import { objectsDriftReport } from '../lib/k8s/converge.js';
import { describeObject, parseManifests } from '../lib/k8s/manifests.js';
import type { KubeObject, TaskContext } from '../lib/model/context.js';
import { defineTask, type CheckResult } from '../lib/model/task.js';

const CONFIG = join('k8s', 'k3d-config.yaml');
const NAMESPACE_FILES = ['infra.yaml', 'services.yaml', 'network-policies.yaml'];

async function namespaceObjects(ctx: TaskContext): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const file of NAMESPACE_FILES) {
    for (const o of parseManifests(await readPackageFile(ctx, join('k8s', 'namespaces', file)))) {
      out.push({
        ...o,
        metadata: {
          ...o.metadata,
          labels: { ...o.metadata?.labels, 'app.kubernetes.io/part-of': 'foundation' },
        },
      });
    }
  }
  return out;
}

async function k3dState(ctx: TaskContext): Promise<'missing' | 'stopped' | 'running'> {
  const cluster = (await ctx.k3d.clusters()).find((c) => c.name === ctx.config.clusterName);
  if (cluster === undefined) return 'missing';
  return cluster.serversRunning < cluster.servers ? 'stopped' : 'running';
}

/** The API answers, every node is Ready, and the namespace objects match (server-side dry run). */
async function converged(ctx: TaskContext): Promise<CheckResult> {
  let version: string | undefined;
  try {
    version = await ctx.kube.version();
  } catch (error) {
    if (error instanceof FoundationError)
      return { status: 'blocked', reason: error.message, hint: error.fix ?? 'foundation run 0-2' };
    throw error;
  }
  const notReady = (await ctx.kube.nodes()).filter((n) => !n.ready).map((n) => n.name);
  if (notReady.length > 0) return { status: 'drift', reason: `nodes not Ready: ${notReady.join(', ')}` };
  const drift = await objectsDriftReport(ctx.kube, await namespaceObjects(ctx));
  if (drift.lines.length > 0)
    return {
      status: 'drift',
      reason: `${drift.lines.length} namespace object(s) differ`,
      diff: drift.lines.join('\n'),
      changes: drift.changes,
    };
  return { status: 'ok', detail: `Kubernetes ${version ?? '?'}; namespaces infra and services converged` };
}

/**
 * 0-2 cluster: the k3d cluster from k8s/k3d-config.yaml exists and runs (target k3d; with target cluster
 * the current kube context is used as it is), its API answers, its nodes are Ready, and the namespaces
 * infra and services have their quotas, limit ranges and network policies.
 */
export default defineTask({
  id: '0-2',
  title: 'Kubernetes cluster and namespaces',
  deps: ['0-1'],
  targets: ['k3d', 'cluster'],
  providedBy: { compose: '0-7' },
  hint: 'foundation run 0-2 (or: scripts/cluster-create)',
  timeoutMs: 6 * 60_000,
  async check(ctx) {
    if (ctx.target === 'k3d') {
      const state = await k3dState(ctx);
      if (state === 'missing')
        return { status: 'missing', reason: `k3d cluster ${ctx.config.clusterName} does not exist` };
      if (state === 'stopped')
        return { status: 'drift', reason: `k3d cluster ${ctx.config.clusterName} is stopped` };
    }
    return converged(ctx);
  },
  async apply(ctx) {
    if (ctx.target === 'k3d') {
      const state = await k3dState(ctx);
      const started = performance.now();
      const name = ctx.config.clusterName;
      if (state === 'missing')
        await ctx.k3d.create({
          name,
          configFile: join(ctx.platform.packageRoot, CONFIG),
          agents: ctx.config.k3dAgents,
        });
      if (state === 'stopped') await ctx.k3d.start(name);
      if (state !== 'running')
        ctx.log.info(
          `cluster ${state === 'missing' ? 'created' : 'started'} in ${((performance.now() - started) / 1_000).toFixed(1)} s (requirement: < 120 s)`,
        );
    }
    for (let i = 0; i < 60; i++) {
      const nodes = await ctx.kube.nodes().catch(() => []);
      if (nodes.length > 0 && nodes.every((n) => n.ready)) break;
      await sleep(2_000, undefined, { signal: ctx.signal });
    }
    for (const o of await namespaceObjects(ctx)) {
      await ctx.kube.apply(o);
      ctx.log.info(`applied ${describeObject(o)}`);
    }
  },
});
