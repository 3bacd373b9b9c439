import type { K3d, Kube } from '../ports/index.js';
import type { Target } from '../model/task.js';
import type { RunSummary } from '../report/summary.js';
import { createdCluster } from '../k8s/cluster-change.js';
import { allRuns, platformConverged } from './task-evidence.js';
import { sameFor, type Observation, type Observations } from './judge.js';
import { PROBE_TIMEOUT_MS, failed, within } from './within.js';

export interface ClusterInput {
  readonly target: Target;
  readonly clusterName: string;
  readonly restart: boolean;
  readonly runs: readonly RunSummary[];
  readonly sleep: (ms: number) => Promise<void>;
}

const DEMO = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: 'demo-service',
  namespace: 'services',
} as const;
const STORE = 'the run store: .foundation/runs/*/summary.json';
const UP_MS = 180_000;

/**
 * Task 0-2's creations of the cluster recorded in the run store, oldest first: runs where its check found
 * no cluster (a start of a stopped one, or namespaces re-applied, are not creations). Pure.
 */
export function creations(runs: readonly RunSummary[]): { runId: string; startedAt: string; ms: number }[] {
  return runs.flatMap((r) =>
    r.tasks
      .filter((t) => t.id === '0-2' && t.outcome === 'changed' && createdCluster(t.changes))
      .map((t) => ({ runId: r.runId, startedAt: r.startedAt, ms: t.durationMs })),
  );
}

/** A `foundation all` at or after `since` that converged: the platform was whole again. Pure. */
const convergedAllSince = (runs: readonly RunSummary[], since: string): RunSummary | undefined =>
  allRuns(runs).find((r) => Date.parse(r.startedAt) >= Date.parse(since) && platformConverged(r));

/** What the run store says about creating and recreating the cluster (k3d). Pure. */
export function recordedCluster(runs: readonly RunSummary[]): Observations {
  const made = creations(runs);
  const last = made[made.length - 1];
  const out: Record<string, Observation> = {
    'REQ-0.1/M1':
      last === undefined
        ? {
            kind: 'absent',
            reason: 'no recorded run created the cluster (task 0-2); --restart-cluster measures a start',
          }
        : {
            kind: 'value',
            value: last.ms,
            unit: 'ms',
            how: `${STORE}: task 0-2 creating the cluster in run ${last.runId}`,
            fix: 'docs/cluster.md',
          },
  };
  const runIds = made.map((m) => m.runId).join(', ');
  const whole = last === undefined ? undefined : convergedAllSince(runs, last.startedAt);
  const recreate: Observation =
    made.length < 2 || last === undefined
      ? {
          kind: 'absent',
          reason:
            'no recreate is recorded: validate never wipes the cluster; k3d cluster delete then foundation all proves it',
        }
      : {
          kind: 'fact',
          holds: whole !== undefined,
          detail:
            whole !== undefined
              ? `task 0-2 created the cluster ${made.length} times (runs ${runIds}); foundation all ${whole.runId} converged every task after the last`
              : `task 0-2 created the cluster again (runs ${runIds}), but no foundation all has converged since ${last.runId}`,
          how: STORE,
          fix: `see .foundation/runs/${last.runId}/; foundation all`,
        };
  out['REQ-0.1/AC4'] = recreate;
  out['REQ-0.4/AC2'] = recreate;
  return out;
}

/** Until every node is Ready (or the time is up): the milliseconds it took. */
async function nodesReady(kube: Kube, input: ClusterInput, started: number): Promise<number | null> {
  while (performance.now() - started < UP_MS) {
    const nodes = await within(PROBE_TIMEOUT_MS, 'the Kubernetes API', () => kube.nodes());
    if (!failed(nodes) && nodes.length > 0 && nodes.every((n) => n.ready)) return performance.now() - started;
    await input.sleep(1_000);
  }
  return null;
}

/**
 * The cluster: the API answers (AC1); with `--restart-cluster` on k3d, stopped and started, timed until
 * every node is Ready (M1), and the demo still there and ready afterwards (AC3).
 */
export async function clusterObservations(
  p: { kube: Kube; k3d: K3d },
  input: ClusterInput,
): Promise<Observations> {
  if (input.target === 'compose') {
    const absent: Observation = {
      kind: 'absent',
      reason: 'target compose has no Kubernetes',
      byChoice: true,
    };
    return {
      ...sameFor(['REQ-0.1/AC1', 'REQ-0.1/AC2', 'REQ-0.1/AC3', 'REQ-0.1/AC4', 'REQ-0.1/M1'], absent),
      'REQ-0.4/AC2': {
        kind: 'absent',
        reason:
          'validate never destroys the platform: scripts/infra-down --volumes then foundation all proves it',
      },
    };
  }
  const notOurs: Observation = {
    kind: 'absent',
    reason: 'target cluster: Foundation neither creates nor recreates this cluster',
    byChoice: true,
  };
  const out: Partial<Record<string, Observation>> =
    input.target === 'k3d'
      ? { ...recordedCluster(input.runs) }
      : { 'REQ-0.1/M1': notOurs, 'REQ-0.1/AC4': notOurs, 'REQ-0.4/AC2': notOurs };
  const v = await within(PROBE_TIMEOUT_MS, 'the Kubernetes API', () => p.kube.version());
  out['REQ-0.1/AC1'] = failed(v)
    ? {
        kind: 'error',
        reason: v.failed,
        fix: 'foundation run 0-2 (then: kubectl cluster-info)',
        how: 'GET /version',
      }
    : {
        kind: 'fact',
        holds: true,
        detail: `the API server answers: Kubernetes ${String(v)}`,
        how: 'GET /version',
      };
  if (failed(v))
    out['REQ-0.1/AC2'] = {
      kind: 'absent',
      reason: 'the Kubernetes API did not answer (REQ-0.1/AC1), so the demo’s rollout could not be read',
    };
  else {
    const demo = await within(PROBE_TIMEOUT_MS + 5_000, 'the demo rollout', () =>
      p.kube.rollout(DEMO, { timeoutMs: PROBE_TIMEOUT_MS }),
    );
    out['REQ-0.1/AC2'] = failed(demo)
      ? {
          kind: 'error',
          reason: demo.failed,
          fix: 'foundation run 0-10',
          how: 'the demo Deployment (services/demo-service)',
        }
      : {
          kind: 'fact',
          holds: demo.ready,
          detail: demo.ready
            ? 'the demo Deployment is rolled out and ready'
            : `the demo is not ready: ${demo.reason}`,
          how: 'the demo Deployment (services/demo-service), its rollout status',
          fix: 'foundation run 0-10; kubectl -n services describe deploy demo-service',
        };
  }
  if (!input.restart || failed(v)) {
    out['REQ-0.1/AC3'] = {
      kind: 'absent',
      reason: failed(v)
        ? 'the cluster does not answer'
        : 'the cluster is restarted only with --restart-cluster',
      byChoice: !failed(v),
    };
    return out;
  }
  if (input.target !== 'k3d') {
    out['REQ-0.1/AC3'] = {
      kind: 'absent',
      reason: 'target cluster: Foundation does not own the cluster, so never restarts it',
      byChoice: true,
    };
    return out;
  }
  const how = `k3d cluster stop ${input.clusterName}; k3d cluster start ${input.clusterName}; until every node is Ready`;
  const fix = `k3d cluster start ${input.clusterName}; foundation run 0-2`;
  const stopped = await within(UP_MS, 'k3d cluster stop', () => p.k3d.stop(input.clusterName));
  const started = performance.now();
  const up = failed(stopped)
    ? stopped
    : await within(UP_MS, 'k3d cluster start', () => p.k3d.start(input.clusterName));
  const readyMs = failed(up) ? null : await nodesReady(p.kube, input, started);
  if (failed(up) || readyMs === null) {
    const e: Observation = {
      kind: 'error',
      reason: failed(up) ? up.failed : `nodes not Ready within ${UP_MS / 1000} s`,
      fix,
      how,
    };
    return { ...out, 'REQ-0.1/M1': e, 'REQ-0.1/AC3': e };
  }
  out['REQ-0.1/M1'] = { kind: 'value', value: Math.round(readyMs), unit: 'ms', how, fix: 'docs/cluster.md' };
  const demo = await within(UP_MS, 'the demo rollout', () =>
    p.kube.rollout(DEMO, { timeoutMs: UP_MS - 10_000 }),
  );
  out['REQ-0.1/AC3'] = failed(demo)
    ? {
        kind: 'error',
        reason: demo.failed,
        fix: 'foundation run 0-10',
        how: 'the demo Deployment after the restart',
      }
    : {
        kind: 'fact',
        holds: demo.ready,
        detail: demo.ready
          ? `the demo Deployment is back and ready ${Math.round(demo.ms / 1000)} s after the nodes`
          : `the demo is not ready: ${demo.reason}`,
        how: 'the demo Deployment after the restart (services/demo-service)',
        fix: 'foundation run 0-10',
      };
  return out;
}
