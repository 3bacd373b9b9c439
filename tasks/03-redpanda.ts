import { join } from 'node:path';
import { FoundationError } from '../lib/errors.js';
import {
  changeItems,
  describeChange,
  describeLeaderless,
  describeManual,
  leaderlessItem,
  planTopics,
} from '../lib/kafka/plan.js';
import { reconcileTopics } from '../lib/kafka/converge.js';
import { parseTopicsFile, type DesiredTopic } from '../lib/kafka/topics-file.js';
import { composeFilePath, platformProject } from '../lib/compose/project.js';
import { uiIngresses } from '../lib/endpoints/ingress.js';
import { objectsDriftReport } from '../lib/k8s/converge.js';
import { exposedFor } from '../lib/k8s/exposure.js';
import { describeObject, objectOf } from '../lib/k8s/manifests.js';
import { notReady } from '../lib/k8s/workloads.js';
import type { KubeObject, ObjectRef, TaskContext } from '../lib/model/context.js';
import { readPackageFile } from '../lib/model/package-files.js';
import { defineTask, type CheckResult } from '../lib/model/task.js';
import { retry } from '../lib/wait/retry.js';

const TOPICS = join('k8s', 'redpanda', 'topics.yaml');
const MANIFESTS = join('k8s', 'redpanda');

async function desiredTopics(ctx: TaskContext): Promise<DesiredTopic[]> {
  return parseTopicsFile(await readPackageFile(ctx, TOPICS), TOPICS);
}

/**
 * The kustomization's objects, and on k3d the Ingress at http://console.localhost:8080. The Kafka
 * listener's LoadBalancer Service is one only on k3d (loopback); elsewhere it is a ClusterIP Service.
 */
const manifests = async (ctx: TaskContext): Promise<KubeObject[]> => [
  ...exposedFor(await ctx.kube.build(join(ctx.platform.packageRoot, MANIFESTS)), ctx.target),
  ...uiIngresses(['console'], ctx.target, 'infra'),
];

/** The workloads task 0-3 waits for, and how long each may take to roll out. */
const WORKLOADS: readonly (ObjectRef & { timeoutMs: number })[] = [
  { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'redpanda', namespace: 'infra', timeoutMs: 240_000 },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'redpanda-console',
    namespace: 'infra',
    timeoutMs: 120_000,
  },
];

/** Is the platform's Redpanda and Console running? null when yes, else why not. */
async function workloads(ctx: TaskContext): Promise<CheckResult | null> {
  if (ctx.target === 'compose') {
    // Task 0-7 runs the broker and Console on Compose; this task only needs them healthy.
    const platform = await platformProject(ctx, { stopOnly: true });
    const blocked = (reason: string): CheckResult => ({
      status: 'blocked',
      reason,
      hint: 'foundation run 0-7 --target compose',
    });
    if (!('project' in platform)) return blocked('the Compose platform is not configured');
    let services;
    try {
      services = await ctx.compose.ps(platform.project);
    } catch (error) {
      if (error instanceof FoundationError)
        return blocked(`the Compose platform cannot be read: ${error.message}`);
      throw error;
    }
    const down = ['redpanda', 'console'].filter(
      (name) => !services.some((s) => s.service === name && s.state === 'running' && s.health === 'healthy'),
    );
    return down.length === 0 ? null : blocked(`Compose services not running and healthy: ${down.join(', ')}`);
  }
  let drift: Awaited<ReturnType<typeof objectsDriftReport>>;
  try {
    drift = await objectsDriftReport(ctx.kube, await manifests(ctx));
  } catch (error) {
    if (error instanceof FoundationError && /^E_KUBE_(UNREACHABLE|NO_CONFIG|FORBIDDEN)$/.test(error.code))
      return {
        status: 'blocked',
        reason: error.message,
        hint: 'foundation run 0-2 (the cluster must answer)',
      };
    throw error;
  }
  if (drift.lines.length > 0)
    return {
      status: 'drift',
      reason: `${drift.lines.length} Redpanda object(s) differ from the manifests`,
      diff: drift.lines.join('\n'),
      changes: drift.changes,
    };
  for (const ref of WORKLOADS) {
    const live = await ctx.kube.read(objectOf(ref));
    const why = live === null ? 'not found' : notReady(live);
    if (why !== null)
      return { status: 'missing', reason: `${ref.kind.toLowerCase()}/${ref.name} is not ready: ${why}` };
  }
  return null;
}

async function topicState(ctx: TaskContext, desired: readonly DesiredTopic[]): Promise<CheckResult> {
  let admin;
  try {
    admin = await ctx.kafka.connect(ctx.config.kafkaBrokers);
  } catch {
    return { status: 'missing', reason: `no Kafka API at ${ctx.config.kafkaBrokers.join(',')}` };
  }
  try {
    const plan = planTopics(desired, await admin.describe(desired.map((t) => t.name)));
    if (plan.changes.length > 0 || plan.leaderless.length > 0) {
      const reasons = [
        ...(plan.changes.length > 0 ? [`${plan.changes.length} topic change(s) needed`] : []),
        ...(plan.leaderless.length > 0
          ? [`${plan.leaderless.length} topic(s) without a leader on every partition`]
          : []),
      ];
      return {
        status: 'drift',
        reason: reasons.join('; '),
        diff: [...plan.changes.map(describeChange), ...plan.leaderless.map(describeLeaderless)].join('\n'),
        changes: [...plan.changes.flatMap(changeItems), ...plan.leaderless.map(leaderlessItem)],
      };
    }
    if (plan.manual.length > 0) {
      return {
        status: 'blocked',
        reason: `topic drift that needs a manual step: ${plan.manual.map(describeManual).join('; ')}`,
        hint: plan.manual.map((m) => m.fix).join('\n'),
      };
    }
    return {
      status: 'ok',
      detail: `broker at ${ctx.config.kafkaBrokers.join(',')}; ${desired.length} topics converged`,
    };
  } finally {
    await admin.close();
  }
}

/**
 * 0-3 redpanda: the broker and Console run (k3d/cluster: the manifests; compose: task 0-7's services)
 * and the topics match k8s/redpanda/topics.yaml; on k3d the Console's Ingress (http://console.localhost:8080).
 */
export default defineTask({
  id: '0-3',
  title: 'Redpanda event bus, Console and topics',
  deps: ['0-1', '0-2', '0-7'],
  hint: 'foundation run 0-3 (topics only: scripts/kafka-topics-create)',
  timeoutMs: 8 * 60_000,
  retries: 1,
  async check(ctx) {
    const desired = await desiredTopics(ctx); // a malformed file fails here, naming file, topic and field
    const missing = await workloads(ctx);
    if (missing) return missing;
    return topicState(ctx, desired);
  },
  async apply(ctx) {
    const desired = await desiredTopics(ctx);
    if (ctx.target !== 'compose') {
      for (const o of await manifests(ctx)) {
        await ctx.kube.apply(o);
        ctx.log.debug(`applied ${describeObject(o)}`);
      }
      for (const ref of WORKLOADS) {
        const result = await ctx.kube.rollout(ref, { timeoutMs: ref.timeoutMs, signal: ctx.signal });
        if (!result.ready)
          throw new FoundationError(
            'E_NOT_CONVERGED',
            `${ref.kind.toLowerCase()}/${ref.name} did not roll out in ${ref.timeoutMs / 1_000} s: ${result.reason}`,
            `see why: kubectl -n infra describe ${ref.kind.toLowerCase()} ${ref.name}; kubectl -n infra get events`,
          );
        ctx.log.info(
          `${ref.kind.toLowerCase()}/${ref.name} rolled out in ${(result.ms / 1_000).toFixed(1)} s`,
        );
      }
    }
    const where = ctx.config.kafkaBrokers.join(',');
    const admin = await retry(
      async ({ signal }) => {
        const a = await ctx.kafka.connect(ctx.config.kafkaBrokers);
        if (signal.aborted) await a.close(); // connected after the wait gave up on it
        return a;
      },
      {
        what: `the Kafka API at ${where}`,
        timeoutMs: 60_000,
        intervalMs: 500,
        maxIntervalMs: 3_000,
        signal: ctx.signal,
        clock: ctx.clock,
        code: 'E_KAFKA_UNREACHABLE',
        fix:
          ctx.target === 'compose'
            ? `check the broker logs: docker compose -f ${composeFilePath(ctx)} logs redpanda`
            : 'check the broker logs: kubectl -n infra logs redpanda-0',
      },
    );
    try {
      const result = await reconcileTopics(admin, desired, { signal: ctx.signal, clock: ctx.clock });
      for (const change of result.applied) ctx.log.info(describeChange(change));
      for (const drift of result.after.manual) ctx.log.warn(describeManual(drift));
    } finally {
      await admin.close();
    }
  },
});
