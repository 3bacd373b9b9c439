// The benchmark's Kafka clients behind one small interface, so kafkajs and an alternative are measured
// by the same code: kafkajs 2.2.4 (the product's client) and @platformatic/kafka 2.12.1 (pure TS, Node >= 22.22).
import { randomUUID } from 'node:crypto';
import { Consumer, Producer, ProduceAcks, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';

export interface BenchProducer {
  send(topic: string, messages: readonly { key?: string; value: string }[]): Promise<void>;
  close(): Promise<void>;
}

export interface BenchClient {
  readonly name: string;
  /** Idempotent, acks=all. */
  producer(): Promise<BenchProducer>;
  /** A new group reading `topic` from its end; `onValue` gets every message value. */
  consumer(topic: string, onValue: (value: string) => void): Promise<{ close(): Promise<void> }>;
}

export function kafkajsClient(brokers: readonly string[]): BenchClient {
  const kafka = new Kafka({ clientId: 'bench', brokers: [...brokers], logLevel: logLevel.NOTHING });
  return {
    name: 'kafkajs',
    async producer() {
      const p = kafka.producer({ idempotent: true });
      await p.connect();
      return {
        send: async (topic, messages) => {
          await p.send({ topic, acks: -1, messages: [...messages] });
        },
        close: () => p.disconnect(),
      };
    },
    async consumer(topic, onValue) {
      const c = kafka.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: 5 });
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

export function platformaticClient(brokers: readonly string[]): BenchClient {
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
