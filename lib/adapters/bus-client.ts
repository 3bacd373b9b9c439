import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { BusClient } from '../ports/validation.js';

/** A kafkajs 2.2.4 client for the probes, loaded on first use (foundation list stays fast). */
export async function kafkajsFor(
  brokers: readonly string[],
  clientId: string,
  retries?: number,
): Promise<Kafka> {
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  return new Kafka({
    clientId,
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    ...(retries === undefined ? {} : { retry: { retries } }),
  });
}

/** kafkajs as a BusClient: an idempotent acks=all producer, a consumer group of its own. */
export function kafkajsClient(brokers: readonly string[]): BusClient {
  const kafka = kafkajsFor(brokers, 'foundation-measure');
  return {
    name: 'kafkajs',
    async producer() {
      const p = (await kafka).producer({ idempotent: true });
      await p.connect();
      return {
        send: async (topic, messages) => {
          await p.send({ topic, acks: -1, messages: [...messages] });
        },
        close: () => p.disconnect(),
      };
    },
    async consumer(topic, onValue) {
      const c = (await kafka).consumer({ groupId: `measure-${randomUUID()}`, maxWaitTimeInMs: 5 });
      await c.connect();
      await c.subscribe({ topic, fromBeginning: false });
      await c.run({
        eachBatch: ({ batch }) => {
          for (const m of batch.messages) onValue(m.value?.toString() ?? '');
          return Promise.resolve();
        },
      });
      return { close: () => c.disconnect() };
    },
  };
}
