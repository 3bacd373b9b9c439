import type { KubeObject } from '../ports/kube.js';

/** The workload kinds whose readiness a task waits for, with their API group version. */
export const WORKLOAD_KINDS = [
  { kind: 'Deployment', apiVersion: 'apps/v1' },
  { kind: 'StatefulSet', apiVersion: 'apps/v1' },
  { kind: 'DaemonSet', apiVersion: 'apps/v1' },
] as const;

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

type Fields = Record<string, unknown>;

/** A Deployment's rollout as `kubectl rollout status` judges it: new replicas all up, none old left. */
function deploymentNotReady(want: number, status: Fields): string | null {
  const updated = num(status.updatedReplicas);
  const total = status.replicas === undefined ? updated : num(status.replicas);
  const ready = num(status.readyReplicas);
  const available = num(status.availableReplicas);
  if (ready < want || updated < want) return `${ready}/${want} replicas ready (${updated} up to date)`;
  // A new pod that never starts (Pending, crash-looping) leaves the old one serving: ready counts it.
  if (total > updated) return `${total - updated} old replica(s) still running: the new ones are not all up`;
  return available < updated ? `${available}/${updated} updated replicas available` : null;
}

/** A StatefulSet's: every pod ready and at the update revision (a partitioned rollout: those above it). */
function statefulSetNotReady(want: number, spec: Fields, status: Fields): string | null {
  const ready = num(status.readyReplicas);
  const updated = num(status.updatedReplicas);
  if (ready < want) return `${ready}/${want} replicas ready (${updated} up to date)`;
  const strategy = (spec.updateStrategy ?? {}) as { type?: unknown; rollingUpdate?: { partition?: unknown } };
  if (strategy.type === 'OnDelete') return null; // pods change only when deleted: nothing to wait for
  const partition = num(strategy.rollingUpdate?.partition);
  if (partition > 0) return updated < want - partition ? `${updated}/${want - partition} pods updated` : null;
  const [current, next] = [status.currentRevision, status.updateRevision];
  if (typeof next === 'string' && typeof current === 'string' && current !== next)
    return `${updated}/${want} pods at the new revision`;
  return updated < want ? `${ready}/${want} replicas ready (${updated} up to date)` : null;
}

/**
 * Why a Deployment, StatefulSet or DaemonSet is not ready, or null when its rollout is complete: the same
 * rules as `kubectl rollout status` (the rollout observed; every replica updated; no old replica left; the
 * updated ones available). Pure.
 */
export function notReady(o: KubeObject): string | null {
  const spec = (o.spec ?? {}) as Fields;
  const status = (o.status ?? {}) as Fields;
  const generation = num((o.metadata as { generation?: unknown } | undefined)?.generation);
  if (generation > 0 && num(status.observedGeneration) < generation) return 'rollout not observed yet';
  if (o.kind === 'DaemonSet') {
    const want = num(status.desiredNumberScheduled);
    const ready = num(status.numberReady);
    const updated = num(status.updatedNumberScheduled);
    const available = num(status.numberAvailable); // omitted by the API when 0
    if (want === 0) return 'no node runs it';
    return ready < want || updated < want || available < want
      ? `${ready}/${want} pods ready (${updated} up to date, ${available} available)`
      : null;
  }
  const want = spec.replicas === undefined ? 1 : num(spec.replicas);
  if (want === 0) return null;
  return o.kind === 'StatefulSet'
    ? statefulSetNotReady(want, spec, status)
    : deploymentNotReady(want, status);
}
