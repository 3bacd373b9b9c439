import type { KubeObject } from '../ports/kube.js';

/** The workload kinds whose readiness a task waits for, with their API group version. */
export const WORKLOAD_KINDS = [
  { kind: 'Deployment', apiVersion: 'apps/v1' },
  { kind: 'StatefulSet', apiVersion: 'apps/v1' },
  { kind: 'DaemonSet', apiVersion: 'apps/v1' },
] as const;

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/**
 * Why a Deployment, StatefulSet or DaemonSet is not ready (replicas ready and up to date, rollout
 * observed), or null when it is. Pure.
 */
export function notReady(o: KubeObject): string | null {
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  const status = (o.status ?? {}) as Record<string, unknown>;
  const generation = num((o.metadata as { generation?: unknown } | undefined)?.generation);
  if (generation > 0 && num(status.observedGeneration) < generation) return 'rollout not observed yet';
  if (o.kind === 'DaemonSet') {
    const want = num(status.desiredNumberScheduled);
    const ready = num(status.numberReady);
    const updated = num(status.updatedNumberScheduled);
    if (want === 0) return 'no node runs it';
    return ready < want || updated < want ? `${ready}/${want} pods ready (${updated} up to date)` : null;
  }
  const want = spec.replicas === undefined ? 1 : num(spec.replicas);
  const ready = num(status.readyReplicas);
  const updated = num(status.updatedReplicas);
  if (want === 0) return null;
  return ready < want || updated < want ? `${ready}/${want} replicas ready (${updated} up to date)` : null;
}
