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
import type { EncodedMessage, EventBus } from './event-bus.js';
import { messageBytes, tracedPublish } from './messages.js';
import { PRODUCER_BATCH } from './producer-settings.js';
import { startPlatformaticConsumer, type RunningConsumer } from './platformatic-consumer.js';
import { ensureTopics } from './platformatic-topics.js';

export interface PlatformaticOptions {
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
  let producer: Producer<string, string, string, string> | null = null;
  let probe: Admin | null = null;
  let consumer: RunningConsumer | null = null;

  const connected = (): Producer<string, string, string, string> =>
    (producer ??= new Producer({
      ...base,
      serializers: stringSerializers,
      // Durable: every in-sync replica has the event before publish() resolves, and a retried send is
      // written once (the idempotent producer numbers its batches; the client then keeps one request
      // in flight per connection and retries without limit within the request timeout).
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
      await connected().send({ messages });
    },
    messageBytes,
    PRODUCER_BATCH,
  );

  return {
    publish: (topic, event) => tracedPublish(topic, event, send),

    async consume(topics, groupId, handle) {
      const admin = new Admin(base);
      try {
        await ensureTopics(admin, topics, options.logger);
      } finally {
        await admin.close();
      }
      consumer = startPlatformaticConsumer({ ...base, groupId, topics, handle, logger: options.logger });
    },

    async ready() {
      try {
        // Its own client without retries: a probe answers within its 1 s, it does not wait for the broker.
        probe ??= new Admin({ ...base, retries: 0, connectTimeout: 1_000, timeout: 1_000 });
        const metadata = await probe.metadata({ topics: [], forceUpdate: true });
        return metadata.brokers.size > 0;
      } catch {
        return false;
      }
    },

    async stopConsuming() {
      await consumer?.stop();
      consumer = null;
    },

    async close() {
      await producer?.close();
      await probe?.close();
      producer = null;
      probe = null;
    },
  };
}
