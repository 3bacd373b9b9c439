import kafkajs, { Kafka, logLevel, type Admin } from 'kafkajs';
import type { ActualTopic } from '../kafka/plan.js';
import type { TopicAdmin } from '../kafka/converge.js';
import { retry } from '../wait/retry.js';

// kafkajs is CommonJS; this enum is not visible as a named ESM export.
const { ConfigResourceTypes } = kafkajs;

/** The Kafka error type, also when kafkajs wrapped it after its own retries. */
function kafkaType(error: unknown): string | undefined {
  const e = error as { type?: string; originalError?: { type?: string }; cause?: { type?: string } } | null;
  return e?.type ?? e?.originalError?.type ?? e?.cause?.type;
}

const unknownTopic = (error: unknown): boolean => kafkaType(error) === 'UNKNOWN_TOPIC_OR_PARTITION';

/** The answers of a broker that does not (yet) lead a partition it is asked about. */
const NOT_SERVED = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
]);
const notServed = (error: unknown): boolean => NOT_SERVED.has(kafkaType(error) ?? '');

/**
 * How often a read is tried again while a topic made a moment ago is not hosted by its leader yet (about
 * 7 s of pauses); the time limit only bounds a broker that stops answering.
 */
const SETTLE = { retries: 10, timeoutMs: 60_000, intervalMs: 100, maxIntervalMs: 1_000 } as const;

/** Topic administration through the Kafka API (kafkajs 2.2.4), against Kafka or Redpanda alike. */
export async function connectTopicAdmin(
  brokers: readonly string[],
  clientId = 'foundation',
): Promise<TopicAdmin & { close(): Promise<void> }> {
  const admin: Admin = new Kafka({
    clientId,
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
  }).admin();
  await admin.connect();
  // A topic made a moment ago (by us or anyone) may not be hosted by its leader yet: the broker answers
  // UNKNOWN_TOPIC_OR_PARTITION (or has no leader yet) for a little while. Reading again then is the fix.
  return {
    describe: (served) =>
      retry(() => describeTopics(admin, served), {
        ...SETTLE,
        what: `the topics of ${brokers.join(',')} to be described`,
        retryable: notServed,
      }),
    async create(topic) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic: topic.name,
              numPartitions: topic.partitions,
              replicationFactor: topic.replicationFactor,
              configEntries: Object.entries(topic.config).map(([name, value]) => ({ name, value })),
            },
          ],
        });
      } catch (error) {
        // Created, but kafkajs's wait for leaders asked before the leader hosted it (seen on Kafka 4
        // KRaft): wait for its metadata ourselves. Any other error is a real one.
        if (!unknownTopic(error)) throw error;
        await retry(() => admin.fetchTopicMetadata({ topics: [topic.name] }), {
          ...SETTLE,
          what: `the metadata of the new topic ${topic.name}`,
          retryable: unknownTopic,
        });
      }
    },
    async setConfig(topic, config) {
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
          },
        ],
      });
    },
    async addPartitions(topic, count) {
      await admin.createPartitions({ topicPartitions: [{ topic, count }] });
    },
    async delete(topic) {
      await admin.deleteTopics({ topics: [topic] });
    },
    close: () => admin.disconnect(),
  };
}

async function describeTopics(admin: Admin, served: readonly string[]): Promise<ActualTopic[]> {
  const names = await admin.listTopics();
  if (names.length === 0) return [];
  const meta = await admin.fetchTopicMetadata({ topics: names });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  const overrides = new Map(
    configs.resources.map((r) => [
      r.resourceName,
      Object.fromEntries(
        r.configEntries
          // Only what was set for this topic (source 1 = DYNAMIC_TOPIC_CONFIG), not broker defaults.
          .filter((e) => !e.isDefault && (e as { configSource?: number }).configSource === 1)
          .map((e) => [e.configName, e.configValue]),
      ),
    ]),
  );
  return Promise.all(
    meta.topics.map(async (t): Promise<ActualTopic> => {
      const unled = t.partitions.filter((p) => p.leader < 0).length;
      return {
        name: t.name,
        partitions: t.partitions.length,
        replicationFactor: t.partitions[0]?.replicas.length ?? 0,
        config: overrides.get(t.name) ?? {},
        leaderless:
          unled > 0 || !served.includes(t.name)
            ? unled
            : await unservedPartitions(admin, t.name, t.partitions.length),
      };
    }),
  );
}

/**
 * 0 when the leaders answer for every partition of the topic (ListOffsets, served like a produce: the
 * metadata can name a leader before it hosts the partition). Otherwise every partition counts, since
 * kafkajs reports only the first partition in error.
 */
async function unservedPartitions(admin: Admin, topic: string, partitions: number): Promise<number> {
  try {
    await admin.fetchTopicOffsets(topic);
    return 0;
  } catch (error) {
    if (notServed(error)) return partitions;
    throw error;
  }
}
