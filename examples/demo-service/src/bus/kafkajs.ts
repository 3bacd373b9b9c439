// The second adapter, for who asks for kafkajs by name (KAFKA_CLIENT=kafkajs). kafkajs 2.2.4 has had no
// release since 2023; @platformatic/kafka is the default.
import { Kafka, logLevel, type Admin, type KafkaConfig, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { createBatcher } from './batcher.js';
import type { ConnectionSettings, EncodedMessage, EventBus } from './event-bus.js';
import { startKafkajsConsumer } from './kafkajs-consumer.js';
import { kafkajsLog } from './kafkajs-log.js';
import { within } from './backoff.js';
import { createBrokerLink } from './link.js';
import { late, withDeadline } from './unavailable.js';
import { messageBytes, tracedPublish } from './messages.js';
import { PRODUCER_BATCH } from './producer-settings.js';
import { superviseConsumer, type RunningConsumer } from './supervisor.js';

export interface KafkajsOptions extends ConnectionSettings {
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
  const client = (settings: Partial<KafkaConfig> = {}): Kafka =>
    new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      logLevel: logLevel.WARN,
      logCreator: () => log,
      ...settings,
    });
  const log = kafkajsLog(options.logger);
  const kafka = client();
  // The readiness probe's own client: one attempt, 1 s, so a probe never waits out kafkajs' retries. It
  // logs nothing: what it finds is readiness's answer, and the link's outage lines.
  const quick = client({
    connectionTimeout: 1_000,
    requestTimeout: 1_000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
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
      let current: Producer | null = null;
      const sent = async () => {
        current = await connected();
        await current.sendBatch({ acks: -1, topicMessages: byTopic(batch) });
      };
      try {
        await withDeadline(sent(), options.publishTimeoutMs, () => late(options));
      } catch (error) {
        // Not acknowledged in time, or refused: a fresh producer for the next send (a send still in
        // flight on this one may yet be stored: at-least-once), so nothing waits behind a stuck request.
        const failed = current ?? producer;
        producer = null;
        void failed?.disconnect().catch(() => undefined);
        throw error;
      }
    },
    messageBytes,
    PRODUCER_BATCH,
  );

  const link = createBrokerLink({
    ...options,
    backoff: options.reconnect,
    async probe() {
      try {
        if (admin === null) {
          const a = quick.admin();
          await a.connect();
          admin = a;
        }
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length === 0) throw new Error('the cluster lists no broker');
      } catch (error) {
        const failed = admin;
        admin = null; // a fresh connection next time
        await failed?.disconnect().catch(() => undefined);
        throw error;
      }
    },
  });

  return {
    publish: (topic, event) => tracedPublish(topic, event, (m) => link.send((signal) => send(m, signal))),

    async consume(topics, groupId, handle) {
      const settings = { groupId, topics, handle, logger: options.logger };
      consumer = superviseConsumer((lost) => startKafkajsConsumer(kafka, settings, lost), {
        backoff: options.reconnect,
        logger: options.logger,
        topics,
        groupId,
      });
    },

    readiness: () => link.check(),
    ready: async () => (await link.check()).ready,

    async stopConsuming() {
      await consumer?.stop();
      consumer = null;
    },

    async close() {
      link.close();
      // Sends in flight settle within the publish timeout: closing waits that long, no longer.
      const closing = Promise.all([producer?.disconnect(), admin?.disconnect()]);
      if ((await within(closing, options.publishTimeoutMs)) === null)
        options.logger.warn('kafka clients did not close in time: left behind');
      producer = null;
      admin = null;
    },
  };
}
