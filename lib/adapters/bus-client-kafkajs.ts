// The second Kafka client of the probes and measurements, chosen with KAFKA_CLIENT=kafkajs: kafkajs
// 2.2.4 (no release since 2023; kept because users ask for it by name). Loaded only when chosen.
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import type { BusClient } from '../ports/validation.js';

let quiet = false;

/**
 * kafkajs 2.2.4 schedules negative timeouts, which Node 24 reports as a TimeoutNegativeWarning on every
 * run (kafkajs#1751): harmless, and it would end up on the user's terminal. Only that warning, and only
 * once kafkajs is chosen: every other warning still reaches the listeners there were (Node's printer).
 */
function quietNegativeTimeouts(): void {
  if (quiet) return;
  quiet = true;
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name !== 'TimeoutNegativeWarning') for (const l of listeners) l(w);
  });
}

/** kafkajs as a BusClient: an idempotent acks=all producer, a consumer group of its own. */
export function kafkajsClient(brokers: readonly string[], clientId = 'foundation-measure'): BusClient {
  quietNegativeTimeouts();
  const kafka = new kafkajs.Kafka({ clientId, brokers: [...brokers], logLevel: kafkajs.logLevel.NOTHING });
  return {
    name: 'kafkajs',
    async producer() {
      const p = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
      await p.connect();
      return {
        send: async (topic, messages) => {
          await p.send({ topic, acks: -1, messages: [...messages] });
        },
        close: () => p.disconnect(),
      };
    },
    async consumer(topic, onValue, o = {}) {
      const c = kafka.consumer({ groupId: o.groupId ?? `measure-${randomUUID()}`, maxWaitTimeInMs: 5 });
      try {
        await c.connect();
        await c.subscribe({ topic, fromBeginning: o.from === 'earliest' });
        await c.run({
          eachBatch: ({ batch }) => {
            for (const m of batch.messages) onValue(m.value?.toString() ?? '');
            return Promise.resolve();
          },
        });
      } catch (error) {
        await c.disconnect().catch(() => undefined);
        throw error;
      }
      return { close: () => c.disconnect() };
    },
  };
}
