// The benchmark's alternative Kafka client behind the product's BusClient port, so it is measured by the
// same code as kafkajs 2.2.4 (lib/adapters/bus-client.ts): @platformatic/kafka 2.12.1 (pure TS, Node >= 22.22).
import { randomUUID } from 'node:crypto';
import { Consumer, Producer, ProduceAcks, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import type { BusClient } from '../../lib/ports/validation.js';

export function platformaticClient(brokers: readonly string[]): BusClient {
  return {
    name: '@platformatic/kafka',
    producer() {
      const p = new Producer({
        clientId: 'bench',
        bootstrapBrokers: [...brokers],
        serializers: stringSerializers,
        idempotent: true,
        acks: ProduceAcks.ALL,
      });
      return Promise.resolve({
        send: async (topic, messages) => {
          await p.send({
            messages: messages.map((m) => ({
              topic,
              value: m.value,
              ...(m.key === undefined ? {} : { key: m.key }),
            })),
          });
        },
        close: () => p.close(),
      });
    },
    async consumer(topic, onValue) {
      const c = new Consumer({
        groupId: `bench-${randomUUID()}`,
        clientId: 'bench',
        bootstrapBrokers: [...brokers],
        deserializers: stringDeserializers,
        maxWaitTime: 5,
      });
      const stream = await c.consume({ topics: [topic], mode: 'latest', autocommit: true });
      stream.on('data', (message: { value: string }) => {
        onValue(message.value);
      });
      return { close: () => c.close(true) };
    },
  };
}
