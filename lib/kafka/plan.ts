import type { DriftItem } from '../model/task.js';
import type { ActualTopic, DesiredTopic } from '../ports/kafka.js';

export type { ActualTopic } from '../ports/kafka.js';

export type TopicChange =
  | { readonly kind: 'create'; readonly topic: DesiredTopic }
  | {
      readonly kind: 'alter-config';
      readonly topic: string;
      /** Every override the topic must end with (declared ones, plus undeclared ones kept as found). */
      readonly config: Readonly<Record<string, string>>;
      readonly changed: readonly { key: string; from: string | null; to: string }[];
    }
  | { readonly kind: 'add-partitions'; readonly topic: string; readonly from: number; readonly to: number }
  | { readonly kind: 'delete'; readonly topic: string };

/** Drift the reconciler will not fix by itself (it never shrinks or deletes unasked). */
export interface ManualDrift {
  readonly topic: string;
  readonly setting: string;
  readonly declared: string;
  readonly actual: string;
  readonly fix: string;
}

/** A declared topic some of whose partitions have no leader serving them: not usable yet. */
export interface Leaderless {
  readonly topic: string;
  readonly leaderless: number;
  readonly partitions: number;
}

export interface TopicPlan {
  readonly changes: readonly TopicChange[];
  readonly manual: readonly ManualDrift[];
  /** Declared topics that exist but are not served on every partition (waited for, never "converged"). */
  readonly leaderless: readonly Leaderless[];
  /** On the broker, not in the file (internal topics excluded); deleted only with --prune. */
  readonly undeclared: readonly string[];
}

/** Internal topics of Kafka, Redpanda and the schema registry: never reported, never pruned. */
export const INTERNAL = /^(__|_schemas$|_redpanda)/;

/** What the broker needs so it matches the file. Pure. */
export function planTopics(
  desired: readonly DesiredTopic[],
  actual: readonly ActualTopic[],
  options: { prune?: boolean | ReadonlySet<string> } = {},
): TopicPlan {
  const byName = new Map(actual.map((t) => [t.name, t]));
  const changes: TopicChange[] = [];
  const manual: ManualDrift[] = [];
  const leaderless: Leaderless[] = [];
  for (const want of desired) {
    const have = byName.get(want.name);
    if (have === undefined) {
      changes.push({ kind: 'create', topic: want });
      continue;
    }
    if (have.leaderless > 0)
      leaderless.push({ topic: want.name, leaderless: have.leaderless, partitions: have.partitions });
    if (have.partitions < want.partitions) {
      changes.push({ kind: 'add-partitions', topic: want.name, from: have.partitions, to: want.partitions });
    } else if (have.partitions > want.partitions) {
      manual.push({
        topic: want.name,
        setting: 'partitions',
        declared: String(want.partitions),
        actual: String(have.partitions),
        fix: `partitions cannot shrink: declare ${have.partitions} in the file, or recreate the topic (data is lost)`,
      });
    }
    if (have.replicationFactor !== want.replicationFactor) {
      manual.push({
        topic: want.name,
        setting: 'replicationFactor',
        declared: String(want.replicationFactor),
        actual: String(have.replicationFactor),
        fix: 'change it with a partition reassignment (rpk / kafka-reassign-partitions), then re-run',
      });
    }
    const changed = Object.entries(want.config)
      .filter(([key, value]) => have.config[key] !== value)
      .map(([key, to]) => ({ key, from: have.config[key] ?? null, to }));
    if (changed.length > 0) {
      changes.push({
        kind: 'alter-config',
        topic: want.name,
        config: { ...have.config, ...want.config },
        changed,
      });
    }
  }
  const declared = new Set(desired.map((t) => t.name));
  const undeclared = actual
    .map((t) => t.name)
    .filter((n) => !declared.has(n) && !INTERNAL.test(n))
    .sort();
  // A set: only those (the ones a person confirmed); one created since stays, reported as undeclared.
  const prunable = (n: string): boolean =>
    options.prune === true || (typeof options.prune === 'object' && options.prune.has(n));
  for (const topic of undeclared) if (prunable(topic)) changes.push({ kind: 'delete', topic });
  return { changes, manual, leaderless, undeclared };
}

/** One line per change, e.g. `orders.placed: retention.ms 86400000 → 604800000`. */
export function describeChange(change: TopicChange): string {
  switch (change.kind) {
    case 'create':
      return `${change.topic.name}: create (${change.topic.partitions} partitions, replication ${change.topic.replicationFactor})`;
    case 'alter-config':
      return `${change.topic}: ${change.changed.map((c) => `${c.key} ${c.from ?? '(default)'} → ${c.to}`).join(', ')}`;
    case 'add-partitions':
      return `${change.topic}: partitions ${change.from} → ${change.to}`;
    case 'delete':
      return `${change.topic}: delete (not in the file; --prune)`;
  }
}

export function describeManual(d: ManualDrift): string {
  return `${d.topic}: ${d.setting} is ${d.actual}, the file says ${d.declared} — ${d.fix}`;
}

/** A topic change as drift data (`topics/<name>/<setting>`, want, have). Pure. */
export function changeItems(change: TopicChange): DriftItem[] {
  switch (change.kind) {
    case 'create':
      return [
        {
          path: `topics/${change.topic.name}`,
          want: `${change.topic.partitions} partitions, replication ${change.topic.replicationFactor}`,
          have: null,
        },
      ];
    case 'alter-config':
      return change.changed.map((c) => ({
        path: `topics/${change.topic}/${c.key}`,
        want: c.to,
        have: c.from,
      }));
    case 'add-partitions':
      return [
        { path: `topics/${change.topic}/partitions`, want: String(change.to), have: String(change.from) },
      ];
    case 'delete':
      return [{ path: `topics/${change.topic}`, want: null, have: 'present' }];
  }
}

/** Partitions without a serving leader as drift data (`topics/<name>/leaders`). Pure. */
export function leaderlessItem(l: Leaderless): DriftItem {
  return {
    path: `topics/${l.topic}/leaders`,
    want: `${l.partitions} of ${l.partitions}`,
    have: `${l.partitions - l.leaderless} of ${l.partitions}`,
  };
}

/** `orders.placed: 2 of 3 partitions have no leader`. */
export function describeLeaderless(l: Leaderless): string {
  return `${l.topic}: ${l.leaderless} of ${l.partitions} partition${l.partitions === 1 ? '' : 's'} ${l.leaderless === 1 ? 'has' : 'have'} no leader`;
}
