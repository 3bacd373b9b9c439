import kafkajs, { Kafka, logLevel, type Admin } from 'kafkajs';
import type { ActualTopic } from '../kafka/plan.js';
import type { TopicAdmin } from '../kafka/converge.js';

// kafkajs is CommonJS; this enum is not visible as a named ESM export.
const { ConfigResourceTypes } = kafkajs;

/** UNKNOWN_TOPIC_OR_PARTITION, also when kafkajs wrapped it after its own retries. */
function unknownTopic(error: unknown): boolean {
  const e = error as { type?: string; originalError?: { type?: string } } | null;
  return (e?.type ?? e?.originalError?.type) === 'UNKNOWN_TOPIC_OR_PARTITION';
}

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
  // UNKNOWN_TOPIC_OR_PARTITION for a little while. Describing again then is the whole fix.
  const settled = async <T>(read: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await read();
      } catch (error) {
        if (!unknownTopic(error) || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  };
  return {
    describe: () => settled(() => describeTopics(admin)),
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
        await settled(() => admin.fetchTopicMetadata({ topics: [topic.name] }));
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

async function describeTopics(admin: Admin): Promise<ActualTopic[]> {
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
  return meta.topics.map((t): ActualTopic => ({
    name: t.name,
    partitions: t.partitions.length,
    replicationFactor: t.partitions[0]?.replicas.length ?? 0,
    config: overrides.get(t.name) ?? {},
  }));
}
