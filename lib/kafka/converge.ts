import type { Clock } from '../ports/clock.js';
import type { DesiredTopic, TopicAdmin } from '../ports/kafka.js';
import { pending, waitUntil } from '../wait/wait-until.js';
import type { TopicChange, TopicPlan } from './plan.js';
import { describeChange, describeLeaderless, planTopics } from './plan.js';
import { FoundationError } from '../errors.js';

export type { TopicAdmin } from '../ports/kafka.js';

/** How long the reconciler waits, after its changes, for every declared topic to be served. */
export const SERVED_TIMEOUT_MS = 30_000;

export interface ReconcileResult {
  readonly plan: TopicPlan;
  readonly applied: readonly TopicChange[];
  /** What is still different afterwards (should be empty, or manual drift only). */
  readonly after: TopicPlan;
}

export interface ReconcileOptions {
  /** Delete undeclared topics: all (true) or only these (the ones a person confirmed). */
  readonly prune?: boolean | ReadonlySet<string>;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  readonly servedTimeoutMs?: number;
}

/** Make one change; false when a create found the topic made by another client meanwhile. */
async function apply(admin: TopicAdmin, change: TopicChange): Promise<boolean> {
  switch (change.kind) {
    case 'create':
      return (await admin.create(change.topic)) === 'created';
    case 'alter-config':
      await admin.setConfig(change.topic, change.config);
      return true;
    case 'add-partitions':
      await admin.addPartitions(change.topic, change.to);
      return true;
    case 'delete':
      await admin.delete(change.topic);
      return true;
  }
}

/** How many times topics another client created meanwhile are looked at again and planned for. */
const RACE_ROUNDS = 3;

const topicOf = (change: TopicChange): string =>
  change.kind === 'create' ? change.topic.name : change.topic;

/**
 * Why the declared topics cannot all be used yet: not listed, fewer partitions than asked for, or
 * partitions without a leader serving them. Empty when every one can be produced to. Pure.
 */
export function unserved(plan: TopicPlan): string[] {
  return [
    ...plan.changes.flatMap((c) =>
      c.kind === 'create'
        ? [`${c.topic.name}: not listed yet`]
        : c.kind === 'add-partitions'
          ? [`${c.topic}: ${c.from} of ${c.to} partitions listed`]
          : [],
    ),
    ...plan.leaderless.map(describeLeaderless),
  ];
}

/** A refusal, told with what this run had changed before it and what it did not try: nothing is hidden. */
function withDone(error: unknown, applied: readonly TopicChange[], untried: readonly TopicChange[]): unknown {
  if (error instanceof FoundationError && error.code !== 'E_KAFKA_REFUSED') return error;
  const done =
    applied.length === 0
      ? 'nothing was changed before it'
      : `done before it: ${applied.map(describeChange).join('; ')}`;
  const left = untried.length === 0 ? '' : `; not tried: ${untried.map(describeChange).join('; ')}`;
  if (error instanceof FoundationError)
    return new FoundationError(error.code, `${error.message} (${done}${left})`, error.fix);
  // Anything else mid-way (the connection lost, a delete refused) is the broker's, not a bug in Foundation.
  return new FoundationError(
    'E_KAFKA_UNREACHABLE',
    `the broker failed mid-way: ${error instanceof Error ? error.message : String(error)} (${done}${left})`,
    'check the broker (foundation status), then run again: what was done is kept, the rest is planned again',
  );
}

/**
 * Plan, apply each change (unless dryRun), then describe again until every declared topic exists with
 * all its partitions led (a produce right after must not fail), or reject with E_WAIT_TIMEOUT naming
 * what is still missing. Config drift left afterwards is returned in `after`, not waited for. A create
 * that finds the topic made meanwhile by another client is no failure: once listed, the topic is planned
 * for as it is (up to three rounds), and `applied` holds only what this run changed.
 */
export async function reconcileTopics(
  admin: TopicAdmin,
  desired: readonly DesiredTopic[],
  options: ReconcileOptions = {},
): Promise<ReconcileResult> {
  const names = desired.map((t) => t.name);
  const plan = planTopics(desired, await admin.describe(names), options);
  if (options.dryRun) return { plan, applied: [], after: plan };
  const applied: TopicChange[] = [];
  const waitOptions = {
    timeoutMs: options.servedTimeoutMs ?? SERVED_TIMEOUT_MS,
    intervalMs: 200,
    maxIntervalMs: 2_000,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    fix: 'check the broker: rpk cluster health, and its logs (kubectl -n infra logs redpanda-0, or docker compose logs redpanda); then run again',
  };
  let changes = plan.changes;
  let lookedAgain = false;
  for (let round = 1; changes.length > 0; round++) {
    const raced: string[] = [];
    for (const change of changes) {
      try {
        if (await apply(admin, change)) applied.push(change);
        else raced.push(topicOf(change));
      } catch (error) {
        throw withDone(error, applied, changes.slice(changes.indexOf(change) + 1));
      }
    }
    if (raced.length === 0 || round === RACE_ROUNDS) break;
    // Topics created by someone else after the first look: plan again for what they are (once listed).
    lookedAgain = true;
    changes = await waitUntil(
      async () => {
        const now = planTopics(desired, await admin.describe(names), options);
        const mine = now.changes.filter((c) => raced.includes(topicOf(c)));
        const unlisted = mine.filter((c) => c.kind === 'create').map(topicOf);
        return unlisted.length === 0 ? mine : pending(`${unlisted.join(', ')}: not listed yet`);
      },
      { ...waitOptions, what: 'the topics another client created to be listed' },
    );
  }
  if (applied.length === 0 && plan.leaderless.length === 0 && !lookedAgain)
    return { plan, applied, after: plan };
  const after = await waitUntil(
    async () => {
      const now = planTopics(desired, await admin.describe(names), options);
      const missing = unserved(now);
      return missing.length === 0 ? now : pending(missing.join('; '));
    },
    { ...waitOptions, what: 'every declared topic to have a leader on each partition' },
  );
  return { plan, applied, after };
}
