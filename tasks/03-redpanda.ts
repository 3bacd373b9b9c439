import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FoundationError } from '../lib/errors.js';
import { describeChange, describeManual, planTopics } from '../lib/kafka/plan.js';
import { reconcileTopics } from '../lib/kafka/reconcile.js';
import { parseTopicsFile, type DesiredTopic } from '../lib/kafka/topics-file.js';
import type { TaskContext } from '../lib/model/context.js';
import { defineTask, type CheckResult } from '../lib/model/task.js';

const TOPICS = join('k8s', 'redpanda', 'topics.yaml');
const MANIFESTS = join('k8s', 'redpanda');
const COMPOSE = join('compose', 'redpanda.yaml');

async function desiredTopics(ctx: TaskContext): Promise<DesiredTopic[]> {
  const path = join(ctx.platform.packageRoot, TOPICS);
  const text = await ctx.files.read(path);
  if (text === null)
    throw new FoundationError('E_TASK_ERROR', `${TOPICS} is missing`, `git checkout ${TOPICS}`);
  return parseTopicsFile(text, TOPICS);
}

const run = async (ctx: TaskContext, command: string, args: string[]) =>
  ctx.sh.run(command, args, { cwd: ctx.platform.packageRoot, stream: false });

/** Is the platform's Redpanda and Console running? null when yes, else why not. */
async function workloads(ctx: TaskContext): Promise<CheckResult | null> {
  if (ctx.target === 'compose') {
    const ps = await run(ctx, 'docker', [
      'compose',
      '-f',
      COMPOSE,
      'ps',
      '--status',
      'running',
      '--services',
    ]);
    const up = new Set(ps.stdout.split('\n').map((s) => s.trim()));
    const down = ['redpanda', 'console'].filter((s) => !up.has(s));
    return down.length === 0
      ? null
      : { status: 'missing', reason: `compose services not running: ${down.join(', ')}` };
  }
  const diff = await run(ctx, 'kubectl', ['diff', '-k', MANIFESTS]);
  if (diff.exitCode === 1)
    return {
      status: 'drift',
      reason: 'the Redpanda manifests differ from the cluster',
      diff: diff.stdout.slice(0, 4_000),
    };
  if (diff.exitCode !== 0)
    return {
      status: 'blocked',
      reason: `kubectl diff failed: ${diff.stderr.trim().split('\n')[0] ?? ''}`,
      hint: 'foundation run 0-2 (the cluster must answer)',
    };
  for (const [kind, name] of [
    ['statefulset', 'redpanda'],
    ['deployment', 'redpanda-console'],
  ] as const) {
    const ready = await run(ctx, 'kubectl', [
      '-n',
      'infra',
      'get',
      kind,
      name,
      '-o',
      'jsonpath={.status.readyReplicas}',
    ]);
    if (ready.stdout.trim() !== '1') return { status: 'missing', reason: `${kind}/${name} is not ready` };
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
    const plan = planTopics(desired, await admin.describe());
    if (plan.changes.length > 0) {
      return {
        status: 'drift',
        reason: `${plan.changes.length} topic change(s) needed`,
        diff: plan.changes.map(describeChange).join('\n'),
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
 * 0-3 redpanda: the broker and Console run (k3d/cluster: the manifests; compose: the Compose services)
 * and the topics match k8s/redpanda/topics.yaml.
 */
export default defineTask({
  id: '0-3',
  title: 'Redpanda event bus, Console and topics',
  deps: ['0-1', '0-2'],
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
    const steps: [string, string[]][] =
      ctx.target === 'compose'
        ? [['docker', ['compose', '-f', COMPOSE, 'up', '-d', '--wait']]]
        : [
            ['kubectl', ['apply', '-k', MANIFESTS]],
            ['kubectl', ['-n', 'infra', 'rollout', 'status', 'statefulset/redpanda', '--timeout=240s']],
            [
              'kubectl',
              ['-n', 'infra', 'rollout', 'status', 'deployment/redpanda-console', '--timeout=120s'],
            ],
          ];
    for (const [command, args] of steps) {
      const result = await ctx.sh.run(command, args, { cwd: ctx.platform.packageRoot });
      if (result.exitCode !== 0) {
        throw new FoundationError(
          'E_COMMAND_FAILED',
          `${command} ${args.join(' ')} exited ${String(result.exitCode)}`,
          'see the task log; then foundation run 0-3',
        );
      }
    }
    let admin = null;
    for (let i = 0; i < 60 && admin === null; i++) {
      admin = await ctx.kafka.connect(ctx.config.kafkaBrokers).catch(() => null);
      if (admin === null) await sleep(1_000, undefined, { signal: ctx.signal });
    }
    if (admin === null)
      throw new FoundationError(
        'E_KAFKA_UNREACHABLE',
        `no Kafka API at ${ctx.config.kafkaBrokers.join(',')} after 60 s`,
        'check the broker logs: kubectl -n infra logs redpanda-0',
      );
    try {
      const result = await reconcileTopics(admin, desired);
      for (const change of result.applied) ctx.log.info(describeChange(change));
      for (const drift of result.after.manual) ctx.log.warn(describeManual(drift));
    } finally {
      await admin.close();
    }
  },
});
