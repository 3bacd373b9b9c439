import { join } from 'node:path';
import { FoundationError } from '../lib/errors.js';
import { readPackageFile } from '../lib/model/package-files.js';
import { busyPorts, k3dPorts, portsInUse } from '../lib/prereqs/host-ports.js';
import { clusterPath } from '../lib/k8s/cluster-change.js';
import { openBindings } from '../lib/k8s/exposure.js';
import { objectsDriftReport } from '../lib/k8s/converge.js';
import { describeObject, parseManifests } from '../lib/k8s/manifests.js';
import type { KubeObject, TaskContext } from '../lib/model/context.js';
import { defineTask, type CheckResult } from '../lib/model/task.js';
import { WaitTimeout, pending, waitUntil } from '../lib/wait/wait-until.js';

const CONFIG = join('k8s', 'k3d-config.yaml');
const AUDIT_POLICY_DIR = join('k8s', 'audit');
/** Where k3d-config.yaml's --audit-policy-file looks for k8s/audit/policy.yaml in the server node. */
const AUDIT_POLICY_MOUNT = '/etc/foundation/audit';
const NAMESPACE_FILES = ['infra.yaml', 'services.yaml', 'network-policies.yaml'];
/** On a cluster Foundation shares (target cluster) only: the data stores closed to other namespaces. */
const SHARED_CLUSTER_FILES = ['shared-cluster.yaml'];

async function namespaceObjects(ctx: TaskContext): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  const files = ctx.target === 'cluster' ? [...NAMESPACE_FILES, ...SHARED_CLUSTER_FILES] : NAMESPACE_FILES;
  for (const file of files) {
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

/** The task runs (their contexts) already warned: a re-check after apply does not say it again. */
const warnedRuns = new WeakSet<TaskContext>();

/**
 * A k3d cluster created before its ports were bound to 127.0.0.1 keeps publishing the Kafka listener
 * and the API on every interface; only recreating it changes that, so it is said, not applied, once per
 * task run. Silent when Docker cannot tell.
 */
async function warnOpenBindings(ctx: TaskContext): Promise<void> {
  if (warnedRuns.has(ctx)) return;
  const name = ctx.config.clusterName;
  const ports = await ctx.docker.publishedPorts(`k3d-${name}-serverlb`).catch(() => null);
  const open = openBindings(ports ?? []);
  if (open.length === 0) return;
  warnedRuns.add(ctx);
  ctx.log.warn(
    `k3d cluster ${name} publishes ${open.join(', ')} beyond this machine (* is every interface; made before Foundation bound its ports to 127.0.0.1): recreate it to close them, scripts/cluster-destroy then foundation all (that deletes what runs in it)`,
  );
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

/** How long a new or started cluster's nodes may take to be Ready. */
const NODES_READY_MS = 120_000;

/** Until every node is Ready; at the deadline an E_WAIT_TIMEOUT naming the nodes that are not. */
async function nodesReady(ctx: TaskContext): Promise<void> {
  let notReady: string[] = [];
  try {
    await waitUntil(
      async () => {
        let nodes;
        try {
          nodes = await ctx.kube.nodes();
        } catch (error) {
          // Right after a start the API may not answer yet: that is part of what is awaited.
          if (error instanceof FoundationError && /^E_KUBE_(UNREACHABLE|ERROR)$/.test(error.code))
            return pending(error.message);
          throw error;
        }
        notReady = nodes.filter((n) => !n.ready).map((n) => n.name);
        if (nodes.length === 0) return pending('no nodes listed yet');
        return notReady.length === 0 || pending(`nodes not Ready: ${notReady.join(', ')}`);
      },
      {
        what: 'every node of the cluster to be Ready',
        timeoutMs: NODES_READY_MS,
        intervalMs: 1_000,
        maxIntervalMs: 5_000,
        signal: ctx.signal,
        clock: ctx.clock,
      },
    );
  } catch (error) {
    if (!(error instanceof WaitTimeout)) throw error;
    const fix = `see why: kubectl get nodes${notReady.map((n) => `; kubectl describe node ${n}`).join('')}`;
    throw new WaitTimeout({ ...error.details, fix });
  }
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
      // As data too: validate counts the runs that created the cluster (have null), not those that started it.
      const path = clusterPath(ctx.config.clusterName);
      if (state === 'missing')
        return {
          status: 'missing',
          reason: `k3d cluster ${ctx.config.clusterName} does not exist`,
          changes: [{ path, want: 'running', have: null }],
        };
      if (state === 'stopped')
        return {
          status: 'drift',
          reason: `k3d cluster ${ctx.config.clusterName} is stopped`,
          changes: [{ path, want: 'running', have: 'stopped' }],
        };
      await warnOpenBindings(ctx);
    }
    return converged(ctx);
  },
  async apply(ctx) {
    if (ctx.target === 'k3d') {
      const state = await k3dState(ctx);
      const started = performance.now();
      const name = ctx.config.clusterName;
      // Creating or starting the cluster publishes its ports: another program on one is named first.
      if (state !== 'running') {
        const config = await readPackageFile(ctx, CONFIG);
        const busy = await busyPorts(ctx.listeners, k3dPorts(config));
        if (busy.length > 0) throw portsInUse(busy, `k3d cluster ${name}`);
      }
      if (state === 'missing')
        await ctx.k3d.create({
          name,
          configFile: join(ctx.platform.packageRoot, CONFIG),
          agents: ctx.config.k3dAgents,
          // The API server's audit policy (secret access logged), which k3d-config.yaml's k3s args name.
          mounts: [{ host: join(ctx.platform.packageRoot, AUDIT_POLICY_DIR), node: AUDIT_POLICY_MOUNT }],
        });
      if (state === 'stopped') await ctx.k3d.start(name);
      if (state !== 'running')
        ctx.log.info(
          `cluster ${state === 'missing' ? 'created' : 'started'} in ${((performance.now() - started) / 1_000).toFixed(1)} s (requirement: < 120 s)`,
        );
    }
    await nodesReady(ctx);
    for (const o of await namespaceObjects(ctx)) {
      await ctx.kube.apply(o);
      ctx.log.info(`applied ${describeObject(o)}`);
    }
  },
});
