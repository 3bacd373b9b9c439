import { classifyKubeError } from '../../lib/k8s/errors.js';
import type { Kube, KubeObject } from '../../lib/model/context.js';

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

/** An API server in memory: server-side apply merges, reads, nodes, and an "unreachable" switch. */
export function fakeKube(opts: { nodesReady?: boolean } = {}): Kube & {
  store: Map<string, KubeObject>;
  applied: string[];
  reachable: boolean;
  nodesReady: boolean;
} {
  const store = new Map<string, KubeObject>();
  const kube = {
    store,
    applied: [] as string[],
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
        store.set(key(o), merged);
        kube.applied.push(key(o));
      }
      return Promise.resolve(merged);
    },
  };
  return kube;
}
