// The default Kafka client of the probes and measurements: @platformatic/kafka 2.12.1 (pure TypeScript,
// maintained; Node >= 22.22). Loaded only through lib/adapters/bus-client.ts, on first use.
import { randomUUID } from 'node:crypto';
import {
  Consumer,
  MessagesStreamModes,
  Producer,
  ProduceAcks,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import type { BusClient } from '../ports/validation.js';
import { readable } from './kafka-errors.js';

/** An idempotent acks=all producer per `producer()`; a consumer group per `consumer()`. */
export function platformaticClient(brokers: readonly string[], clientId = 'foundation-measure'): BusClient {
  const base = { clientId, bootstrapBrokers: [...brokers] };
  return {
    name: '@platformatic/kafka',
    producer() {
      const p = new Producer({
        ...base,
        serializers: stringSerializers,
        idempotent: true,
        acks: ProduceAcks.ALL,
      });
      return Promise.resolve({
        send: async (topic, messages) => {
          await p
            .send({
              messages: messages.map((m) => ({
                topic,
                value: m.value,
                ...(m.key === undefined ? {} : { key: m.key }),
              })),
            })
            .catch((e: unknown) => Promise.reject(readable(e)));
        },
        close: () => p.close(),
      });
    },
    async consumer(topic, onValue, o = {}) {
      const c = new Consumer({
        ...base,
        groupId: o.groupId ?? `measure-${randomUUID()}`,
        deserializers: stringDeserializers,
        maxWaitTime: 5, // the latency measurement times each message: no batching wait on the broker
      });
      try {
        // A committed offset wins; a group without one starts where asked.
        const stream = await c.consume({
          topics: [topic],
          mode: MessagesStreamModes.COMMITTED,
          fallbackMode: o.from === 'earliest' ? MessagesStreamModes.EARLIEST : MessagesStreamModes.LATEST,
          autocommit: true,
        });
        stream.on('data', (message: { value: string }) => {
          onValue(message.value);
        });
        // The probes judge what arrived; a broker going away is not worth a crash.
        stream.on('error', () => undefined);
      } catch (error) {
        await c.close(true).catch(() => undefined);
        throw readable(error);
      }
      return { close: () => c.close(true) };
    },
  };
}
