// The default adapter: @platformatic/kafka (pure TypeScript, maintained; Node >= 22.22).
import {
  Admin,
  ProduceAcks,
  Producer,
  stringSerializers,
  type Broker,
  type MessageToProduce,
} from '@platformatic/kafka';
import type { Logger } from 'pino';
import { createBatcher } from './batcher.js';
import type { ConnectionSettings, EncodedMessage, EventBus, EventHandler } from './event-bus.js';
import { within } from './backoff.js';
import { createBrokerLink } from './link.js';
import { late, withDeadline } from './unavailable.js';
import { messageBytes, tracedPublish } from './messages.js';
import { PRODUCER_BATCH } from './producer-settings.js';
import { startPlatformaticConsumer } from './platformatic-consumer.js';
import { superviseConsumer, type RunningConsumer } from './supervisor.js';
import { ensureTopics } from './platformatic-topics.js';

export interface PlatformaticOptions extends ConnectionSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
}

/** "host:port" as the client's Broker. */
export function brokerOf(address: string): Broker {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

export function createPlatformaticBus(options: PlatformaticOptions): EventBus {
  const base = { clientId: options.clientId, bootstrapBrokers: options.brokers.map(brokerOf) };
  const { logger, reconnect } = options;
  let producer: Producer<string, string, string, string> | null = null;
  let probe: Admin | null = null;
  let consumer: RunningConsumer | null = null;

  const connected = (): Producer<string, string, string, string> =>
    (producer ??= new Producer({
      ...base,
      serializers: stringSerializers,
      // Durable: every in-sync replica has the event before publish() resolves, and a retried send is
      // written once (the idempotent producer numbers its batches; the client then keeps one request
      // in flight per connection and retries without limit: the link's publish timeout bounds the wait).
      idempotent: true,
      acks: ProduceAcks.ALL,
      // As kafkajs did: the broker may create a topic on first publish if its auto-creation is on.
      autocreateTopics: true,
    }));

  const send = createBatcher<EncodedMessage>(
    async (batch) => {
      const messages: MessageToProduce<string, string, string, string>[] = batch.map((m) => ({
        topic: m.topic,
        value: m.value,
        headers: m.headers,
        ...(m.key === undefined ? {} : { key: m.key }),
      }));
      const current = connected();
      try {
        await withDeadline(current.send({ messages }), options.publishTimeoutMs, () => late(options));
      } catch (error) {
        // Not acknowledged in time, or refused: a fresh producer for the next send (a send still in
        // flight on this one may yet be stored: at-least-once), so nothing waits behind a stuck request.
        if (producer === current) producer = null;
        void current.close(true).catch(() => undefined);
        throw error;
      }
    },
    messageBytes,
    PRODUCER_BATCH,
  );

  const link = createBrokerLink({
    ...options,
    backoff: reconnect,
    async probe() {
      // Its own client without retries: a probe answers within its 1 s, it does not wait for the broker.
      probe ??= new Admin({ ...base, retries: 0, connectTimeout: 1_000, timeout: 1_000 });
      try {
        const metadata = await probe.metadata({ topics: [], forceUpdate: true });
        if (metadata.brokers.size === 0) throw new Error('the metadata lists no broker');
      } catch (error) {
        const failed = probe;
        probe = null; // a fresh client next time
        await failed.close().catch(() => undefined);
        throw error;
      }
    },
  });

  const startConsumer =
    (topics: readonly string[], groupId: string, handle: EventHandler) => async (lost: () => void) => {
      const admin = new Admin({ ...base, retries: 1, connectTimeout: 2_000 });
      try {
        await ensureTopics(admin, topics, logger);
      } finally {
        await admin.close().catch(() => undefined);
      }
      return startPlatformaticConsumer({
        ...base,
        groupId,
        topics,
        handle,
        logger,
        backoff: reconnect,
        lost,
      });
    };

  return {
    publish: (topic, event) => tracedPublish(topic, event, (m) => link.send((signal) => send(m, signal))),

    async consume(topics, groupId, handle) {
      consumer = superviseConsumer(startConsumer(topics, groupId, handle), {
        backoff: reconnect,
        logger,
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
      const closing = Promise.all([producer?.close(), probe?.close()]);
      if ((await within(closing, options.publishTimeoutMs)) === null)
        logger.warn('kafka clients did not close in time: left behind');
      producer = null;
      probe = null;
    },
  };
}
