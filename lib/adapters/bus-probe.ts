import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { BusProbe } from '../ports/validation.js';
import { WaitTimeout, pending, waitUntil } from '../wait/wait-until.js';
import { kafkajsClient, kafkajsFor } from './bus-client.js';

const client = (brokers: readonly string[]) => kafkajsFor(brokers, 'foundation-validate', 3);

async function withTopic<T>(
  brokers: readonly string[],
  run: (topic: string, kafka: Kafka) => Promise<T>,
): Promise<T> {
  const kafka = await client(brokers);
  const admin = kafka.admin();
  await admin.connect();
  const topic = `foundation-validate-${randomUUID().slice(0, 8)}`;
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    return await run(topic, kafka);
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

/** The event bus through kafkajs 2.2.4: bounded traffic on a topic of its own, deleted afterwards. */
export function createBusProbe(): BusProbe {
  return {
    async mark(brokers) {
      const kafka = await client(brokers);
      const admin = kafka.admin();
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      const mark = { topic: `foundation-validate-persist-${randomUUID().slice(0, 8)}`, value: randomUUID() };
      try {
        await Promise.all([admin.connect(), producer.connect()]);
        await admin.createTopics({ topics: [{ topic: mark.topic, numPartitions: 1 }], waitForLeaders: true });
        await producer.send({ topic: mark.topic, acks: -1, messages: [{ value: mark.value }] });
      } finally {
        await Promise.all([admin.disconnect(), producer.disconnect()]);
      }
      return mark;
    },
    async readBack(brokers, mark, o) {
      const kafka = await client(brokers);
      const consumer = kafka.consumer({ groupId: `${mark.topic}-read` });
      let found = false;
      try {
        await consumer.connect();
        await consumer.subscribe({ topic: mark.topic, fromBeginning: true });
        const seen = new Promise<void>((resolve) => {
          void consumer.run({
            eachMessage: async ({ message }) => {
              if (message.value?.toString() === mark.value) {
                found = true;
                resolve();
              }
              await Promise.resolve();
            },
          });
        });
        await Promise.race([seen, new Promise((r) => setTimeout(r, o.timeoutMs).unref())]);
      } finally {
        await consumer.disconnect().catch(() => undefined);
        const admin = kafka.admin();
        await admin.connect().then(
          () => admin.deleteTopics({ topics: [mark.topic] }).catch(() => undefined),
          () => undefined,
        );
        await admin.disconnect().catch(() => undefined);
      }
      return found;
    },
    client: (brokers) => kafkajsClient(brokers),
    async scratchTopic(brokers, partitions) {
      const kafka = await client(brokers);
      const admin = kafka.admin();
      const name = `foundation-validate-${randomUUID().slice(0, 8)}`;
      await admin.connect();
      try {
        await admin.createTopics({
          topics: [{ topic: name, numPartitions: partitions }],
          waitForLeaders: true,
        });
      } finally {
        await admin.disconnect();
      }
      return {
        name,
        drop: async () => {
          const a = kafka.admin();
          await a.connect();
          try {
            await a.deleteTopics({ topics: [name] });
          } finally {
            await a.disconnect();
          }
        },
      };
    },
    fanout: (brokers, o) =>
      withTopic(brokers, async (topic, kafka) => {
        const consumers: Consumer[] = [];
        const counts = Array.from({ length: o.groups }, () => 0);
        const start = async (i: number) => {
          const c = kafka.consumer({ groupId: `${topic}-g${i}` });
          consumers.push(c);
          await c.connect();
          await c.subscribe({ topic, fromBeginning: true });
          await c.run({
            eachMessage: async () => {
              counts[i] = (counts[i] ?? 0) + 1;
              await Promise.resolve();
            },
          });
        };
        const producer = kafka.producer();
        try {
          // All groups but the last subscribe first; the last joins after the event is published.
          for (let i = 0; i < o.groups - 1; i++) await start(i);
          await producer.connect();
          await producer.send({ topic, acks: -1, messages: [{ value: 'validate' }] });
          await start(o.groups - 1);
          // Until every group has the event; one that never gets it shows as 0 in the result (judged there).
          await waitUntil(
            () => {
              const without = counts.flatMap((n, i) => (n === 0 ? [`g${i}`] : []));
              return Promise.resolve(
                without.length === 0 || pending(`groups without it: ${without.join(', ')}`),
              );
            },
            {
              what: `the event in all ${o.groups} groups`,
              timeoutMs: o.timeoutMs,
              intervalMs: 100,
              maxIntervalMs: 500,
            },
          ).catch((error: unknown) => {
            if (!(error instanceof WaitTimeout)) throw error;
          });
        } finally {
          await Promise.all([producer.disconnect(), ...consumers.map((c) => c.disconnect())]);
        }
        return { received: counts, lateReceived: (counts[o.groups - 1] ?? 0) > 0 };
      }),
  };
}
