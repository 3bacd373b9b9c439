import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FoundationError } from '../lib/errors.js';
import { objectsDrift } from '../lib/k8s/converge.js';
import { describeObject, parseManifests } from '../lib/k8s/manifests.js';
import type { KubeObject, TaskContext } from '../lib/model/context.js';
import { defineTask, type CheckResult } from '../lib/model/task.js';

const CONFIG = join('k8s', 'k3d-config.yaml');
const NAMESPACE_FILES = ['infra.yaml', 'services.yaml', 'network-policies.yaml'];

async function namespaceObjects(ctx: TaskContext): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const file of NAMESPACE_FILES) {
    const text = await ctx.files.read(join(ctx.platform.packageRoot, 'k8s', 'namespaces', file));
    if (text === null)
      throw new FoundationError(
        'E_TASK_ERROR',
        `k8s/namespaces/${file} is missing`,
        'git checkout k8s/namespaces',
      );
    for (const o of parseManifests(text)) {
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

interface K3dCluster {
  name: string;
  serversCount: number;
  serversRunning: number;
}

async function k3dState(ctx: TaskContext): Promise<'missing' | 'stopped' | 'running'> {
  const list = await ctx.sh.run('k3d', ['cluster', 'list', '-o', 'json'], { stream: false });
  if (list.exitCode !== 0)
    throw new FoundationError(
      'E_COMMAND_FAILED',
      `k3d cluster list failed: ${list.stderr.trim()}`,
      'foundation run 0-1 (Docker and k3d)',
    );
  const cluster = (JSON.parse(list.stdout || '[]') as K3dCluster[]).find(
    (c) => c.name === ctx.config.clusterName,
  );
  if (cluster === undefined) return 'missing';
  return cluster.serversRunning < cluster.serversCount ? 'stopped' : 'running';
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
  const drift = await objectsDrift(ctx.kube, await namespaceObjects(ctx));
  if (drift.length > 0)
    return { status: 'drift', reason: `${drift.length} namespace object(s) differ`, diff: drift.join('\n') };
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
      const args =
        state === 'missing'
          ? [
              'cluster',
              'create',
              ctx.config.clusterName,
              '--config',
              join(ctx.platform.packageRoot, CONFIG),
              '--agents',
              String(ctx.config.k3dAgents),
              '--wait',
            ]
          : state === 'stopped'
            ? ['cluster', 'start', ctx.config.clusterName, '--wait']
            : null;
      if (args) {
        const result = await ctx.sh.run('k3d', args);
        if (result.exitCode !== 0)
          throw new FoundationError(
            'E_COMMAND_FAILED',
            `k3d ${args.slice(0, 2).join(' ')} failed`,
            'see the task log; is Docker running? (foundation run 0-1)',
          );
        ctx.log.info(
          `cluster ${state === 'missing' ? 'created' : 'started'} in ${((performance.now() - started) / 1_000).toFixed(1)} s (requirement: < 120 s)`,
        );
      }
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
