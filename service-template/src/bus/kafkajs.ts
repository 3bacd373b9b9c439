// The second adapter, for who asks for kafkajs by name (KAFKA_CLIENT=kafkajs). kafkajs 2.2.4 has had no
// release since 2023; @platformatic/kafka is the default.
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { createBatcher } from './batcher.js';
import type { EncodedMessage, EventBus } from './event-bus.js';
import { startKafkajsConsumer, type RunningConsumer } from './kafkajs-consumer.js';
import { messageBytes, tracedPublish } from './messages.js';
import { PRODUCER_BATCH } from './producer-settings.js';

export interface KafkajsOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
}

/** Messages grouped by topic, as kafkajs' sendBatch takes them. */
function byTopic(batch: readonly EncodedMessage[]) {
  const topics = new Map<string, { key?: string; value: string; headers: Record<string, string> }[]>();
  for (const m of batch) {
    const list = topics.get(m.topic) ?? [];
    list.push({ value: m.value, headers: m.headers, ...(m.key === undefined ? {} : { key: m.key }) });
    topics.set(m.topic, list);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

export function createKafkajsBus(options: KafkajsOptions): EventBus {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      options.logger.warn({ kafka: entry.log }, `kafka: ${entry.log.message}`);
    },
  });
  let producer: Producer | null = null;
  let admin: Admin | null = null;
  let consumer: RunningConsumer | null = null;

  const connected = async (): Promise<Producer> => {
    if (producer === null) {
      // Durable as the default adapter: acks=all (on each send), idempotent, one request in flight.
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await p.connect();
      producer = p;
    }
    return producer;
  };

  const send = createBatcher<EncodedMessage>(
    async (batch) => {
      await (await connected()).sendBatch({ acks: -1, topicMessages: byTopic(batch) });
    },
    messageBytes,
    PRODUCER_BATCH,
  );

  return {
    publish: (topic, event) => tracedPublish(topic, event, send),

    async consume(topics, groupId, handle) {
      consumer = await startKafkajsConsumer(kafka, { groupId, topics, handle, logger: options.logger });
    },

    async ready() {
      try {
        if (admin === null) {
          const a = kafka.admin();
          await a.connect();
          admin = a;
        }
        const cluster = await admin.describeCluster();
        return cluster.brokers.length > 0;
      } catch {
        return false;
      }
    },

    async stopConsuming() {
      await consumer?.stop();
      consumer = null;
    },

    async close() {
      await producer?.disconnect();
      await admin?.disconnect();
      producer = null;
      admin = null;
    },
  };
}
