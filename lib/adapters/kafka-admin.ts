import { ConfigResourceTypes } from '@platformatic/kafka';
import type { ActualTopic } from '../kafka/plan.js';
import type { TopicAdmin } from '../kafka/converge.js';
import { retry } from '../wait/retry.js';
import { KafkaAdmin, SETTLE } from './kafka-admin-client.js';
import { FoundationError } from '../errors.js';
import { kafkaErrorNames, kafkaMessage, notServed, readable, refusal } from './kafka-errors.js';

/**
 * Topic administration through the Kafka API (@platformatic/kafka 2.12.1), against Kafka or Redpanda
 * alike. Rejects, readably, when no broker answers.
 */
export async function connectTopicAdmin(
  brokers: readonly string[],
  clientId = 'foundation',
): Promise<TopicAdmin & { close(): Promise<void> }> {
  const admin = new KafkaAdmin(brokers, clientId);
  try {
    await admin.connect();
  } catch (error) {
    await admin.close().catch(() => undefined);
    throw error;
  }
  // A topic made a moment ago (by us or anyone) may not be hosted by its leader yet: the broker answers
  // UNKNOWN_TOPIC_OR_PARTITION (or has no leader yet) for a little while. Reading again then is the fix.
  return {
    describe: (served) =>
      retry(() => describeTopics(admin, served), {
        ...SETTLE,
        what: `the topics of ${brokers.join(',')} to be described`,
        retryable: notServed,
      }),
    create: async (topic) => {
      try {
        await admin.createTopic(topic.name, topic.partitions, topic.replicationFactor, topic.config);
        return 'created';
      } catch (error) {
        if (kafkaErrorNames(error).has('TOPIC_ALREADY_EXISTS')) return 'exists';
        throw refusedOr(error, topic.name);
      }
    },
    // AlterConfigs (not the incremental one): the topic's overrides become exactly these.
    setConfig: (topic, config) =>
      admin
        .call((a) =>
          a.alterConfigs({
            resources: [
              {
                resourceType: ConfigResourceTypes.TOPIC,
                resourceName: topic,
                configs: Object.entries(config).map(([name, value]) => ({ name, value })),
              },
            ],
          }),
        )
        .catch((error: unknown) => Promise.reject(refusedOr(error, topic))),
    addPartitions: (topic, count) =>
      admin
        .call((a) => a.createPartitions({ topics: [{ name: topic, count }] }))
        .then(() => undefined)
        .catch((error: unknown) => Promise.reject(refusedOr(error, topic))),
    delete: (topic) =>
      admin.deleteTopic(topic).catch((error: unknown) => Promise.reject(refusedOr(error, topic))),
    close: () => admin.close().catch((e: unknown) => Promise.reject(readable(e))),
  };
}

/** A refusal as E_KAFKA_REFUSED naming the topic, the broker's reason and what to do; any other error as it is. */
function refusedOr(error: unknown, topic: string): Error {
  const refused = refusal(error);
  if (refused === null) return error instanceof Error ? error : readable(error);
  return new FoundationError(
    'E_KAFKA_REFUSED',
    `topic ${topic}: the broker refused it: ${kafkaMessage(error)}`,
    refused.kind === 'forbidden'
      ? 'the broker requires a permission this client lacks (ACLs): grant it to the client Foundation connects as, then run again'
      : refused.name === 'TOPIC_DELETION_DISABLED'
        ? 'the broker does not allow deleting topics (delete.topic.enable=false): delete it there by hand, or run without --prune'
        : 'correct that topic in the topics file (replicationFactor at most the number of brokers, config names and values as Kafka spells them, a partition count the broker allows), then run again',
  );
}

async function describeTopics(admin: KafkaAdmin, served: readonly string[]): Promise<ActualTopic[]> {
  const names = await admin.listTopics();
  if (names.length === 0) return [];
  const [led, overrides] = await Promise.all([admin.partitions(names), admin.overrides(names)]);
  return Promise.all(
    [...led].map(async ([name, partitions]): Promise<ActualTopic> => {
      const unled = partitions.filter((p) => p.leader < 0).length;
      return {
        name,
        partitions: partitions.length,
        replicationFactor: partitions[0]?.replicas ?? 0,
        config: overrides.get(name) ?? {},
        // The metadata can name a leader before it hosts the partition: for the topics asked about, the
        // leaders are asked (ListOffsets); when one does not answer, every partition counts.
        leaderless:
          unled > 0 || !served.includes(name)
            ? unled
            : (await admin.served(name, partitions.length))
              ? 0
              : partitions.length,
      };
    }),
  );
}
