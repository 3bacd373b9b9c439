import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseManifests } from '../../lib/k8s/manifests.js';
import { classifyKubeError } from '../../lib/k8s/errors.js';
import { notReady } from '../../lib/k8s/workloads.js';
import type { Kube, KubeObject, ObjectRef, ProxyAnswer } from '../../lib/ports/kube.js';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** What a controller would write once a workload's pods are up: every replica ready and up to date. */
function readyStatus(o: KubeObject): KubeObject {
  if (!WORKLOADS.has(o.kind ?? '') || o.status !== undefined) return o; // a status the test set stays
  const replicas =
    typeof (o.spec as { replicas?: unknown } | undefined)?.replicas === 'number'
      ? (o.spec as { replicas: number }).replicas
      : 1;
  return {
    ...o,
    status:
      o.kind === 'DaemonSet'
        ? { desiredNumberScheduled: 1, numberReady: 1, updatedNumberScheduled: 1, numberAvailable: 1 }
        : { replicas, readyReplicas: replicas, updatedReplicas: replicas, availableReplicas: replicas },
  };
}

const key = (o: KubeObject): string =>
  `${o.kind ?? ''}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

function merge(live: unknown, desired: unknown): unknown {
  if (desired === null || typeof desired !== 'object' || Array.isArray(desired)) return desired;
  const base =
    live !== null && typeof live === 'object' && !Array.isArray(live)
      ? (live as Record<string, unknown>)
      : {};
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(desired as Record<string, unknown>)) out[k] = merge(base[k], v);
  return out;
}

/**
 * An API server in memory: server-side apply merges, reads, nodes, an "unreachable" switch, kustomize
 * builds the test provides per folder, and workloads that become ready at once (unless told otherwise).
 */
export function fakeKube(
  opts: { nodesReady?: boolean; builds?: Record<string, KubeObject[]>; workloadsReady?: boolean } = {},
): Kube & {
  store: Map<string, KubeObject>;
  applied: string[];
  reachable: boolean;
  nodesReady: boolean;
  rollouts: string[];
  proxied: string[];
  proxyAnswer: ProxyAnswer;
} {
  const store = new Map<string, KubeObject>();
  const kube = {
    store,
    applied: [] as string[],
    rollouts: [] as string[],
    proxied: [] as string[],
    /** What a GET through the service proxy answers (a real control plane without kubelets: unreachable). */
    proxyAnswer: { status: 'ok', detail: 'ok' } as ProxyAnswer,
    reachable: true,
    nodesReady: opts.nodesReady ?? true,
    guard() {
      if (!kube.reachable)
        throw classifyKubeError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'version');
    },
    version() {
      kube.guard();
      return Promise.resolve('v1.35.5+k3s1');
    },
    nodes() {
      kube.guard();
      return Promise.resolve([{ name: 'k3d-foundation-server-0', ready: kube.nodesReady }]);
    },
    read(o: KubeObject) {
      kube.guard();
      return Promise.resolve(store.get(key(o)) ?? null);
    },
    list(apiVersion: string, kind: string, namespace: string, labelSelector?: string) {
      kube.guard();
      const [label, value] = (labelSelector ?? '').split('=');
      return Promise.resolve(
        [...store.values()].filter(
          (o) =>
            o.kind === kind &&
            o.apiVersion === apiVersion &&
            o.metadata?.namespace === namespace &&
            (label === undefined || label === '' || o.metadata.labels?.[label] === value),
        ),
      );
    },
    apply(o: KubeObject, options: { dryRun?: boolean } = {}) {
      kube.guard();
      const merged = {
        ...(merge(store.get(key(o)), o) as KubeObject),
        metadata: {
          ...(merge(store.get(key(o))?.metadata, o.metadata) as object),
          resourceVersion: String(Date.now()),
        },
      } as KubeObject;
      if (!options.dryRun) {
        store.set(key(o), opts.workloadsReady === false ? merged : readyStatus(merged));
        kube.applied.push(key(o));
      }
      return Promise.resolve(merged);
    },
    delete(ref: ObjectRef) {
      kube.guard();
      return Promise.resolve(store.delete(`${ref.kind}/${ref.namespace ?? ''}/${ref.name}`));
    },
    build(dir: string) {
      const objects = opts.builds?.[dir];
      if (objects === undefined) return Promise.reject(new Error(`no kustomization at ${dir} in this fake`));
      return Promise.resolve(objects.map((o) => structuredClone(o)));
    },
    rollout(ref: ObjectRef) {
      kube.guard();
      kube.rollouts.push(`${ref.kind}/${ref.namespace ?? ''}/${ref.name}`);
      const live = store.get(`${ref.kind}/${ref.namespace ?? ''}/${ref.name}`);
      const why = live === undefined ? 'not found' : notReady(live);
      return Promise.resolve(
        why === null ? { ready: true as const, ms: 1 } : { ready: false as const, ms: 1, reason: why },
      );
    },
    proxyGet(service: { namespace: string; name: string }, path: string) {
      kube.guard();
      kube.proxied.push(`${service.namespace}/${service.name}${path}`);
      return Promise.resolve(kube.proxyAnswer);
    },
  };
  return kube;
}

/**
 * What a kustomization in this repository builds, approximately (resources, namespace, label pairs), for
 * fakes of `kube.build`. The real-cluster tests build with kubectl itself.
 */
export function kustomizationObjects(dir: string): KubeObject[] {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as {
    namespace?: string;
    labels?: { pairs: Record<string, string> }[];
    resources: string[];
  };
  const labels = Object.assign({}, ...(k.labels ?? []).map((l) => l.pairs)) as Record<string, string>;
  return k.resources.flatMap((file) =>
    parseManifests(readFileSync(join(dir, file), 'utf8')).map((o) => ({
      ...o,
      metadata: {
        ...o.metadata,
        ...(k.namespace === undefined ? {} : { namespace: k.namespace }),
        labels: { ...o.metadata?.labels, ...labels },
      },
    })),
  );
}
