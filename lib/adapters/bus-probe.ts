import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { BusProbe } from '../ports/validation.js';

// kafkajs loads on first use (foundation list stays fast).
const client = async (brokers: readonly string[]) => {
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  return new Kafka({
    clientId: 'foundation-validate',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
  });
};

/** p-th percentile of numbers (nearest rank). Pure. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

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

const deadline = (ms: number, what: string) =>
  new Promise<never>((_, reject) => {
    setTimeout(() => {
      reject(new Error(`${what} did not finish in ${ms / 1000} s`));
    }, ms).unref();
  });

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
    perf: (brokers, o) =>
      withTopic(brokers, async (topic, kafka) => {
        const consumer = kafka.consumer({ groupId: `${topic}-perf` });
        const producer = kafka.producer({ allowAutoTopicCreation: false });
        const latencies: number[] = [];
        let first: number;
        let last = 0;
        try {
          await Promise.all([consumer.connect(), producer.connect()]);
          await consumer.subscribe({ topic, fromBeginning: true });
          const done = new Promise<void>((resolve) => {
            void consumer.run({
              eachBatch: async ({ batch }) => {
                const now = performance.now();
                for (const m of batch.messages) latencies.push(now - Number(m.key?.toString() ?? now));
                last = now;
                if (latencies.length >= o.count) resolve();
                await Promise.resolve();
              },
            });
          });
          const pad = 'x'.repeat(Math.max(0, o.size - 16));
          first = performance.now();
          const BATCH = 500;
          const sending = (async () => {
            for (let i = 0; i < o.count; i += BATCH) {
              const n = Math.min(BATCH, o.count - i);
              const ts = performance.now().toFixed(3);
              await producer.send({
                topic,
                acks: -1,
                messages: Array.from({ length: n }, () => ({ key: ts, value: pad })),
              });
            }
          })();
          await Promise.race([Promise.all([sending, done]), deadline(o.timeoutMs, `${o.count} messages`)]);
        } finally {
          await Promise.all([consumer.disconnect(), producer.disconnect()]);
        }
        const seconds = Math.max(1e-3, (last - first) / 1000);
        return {
          sent: o.count,
          received: latencies.length,
          msgPerSec: latencies.length / seconds,
          p95Ms: percentile(latencies, 95),
        };
      }),
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
          const until = Date.now() + o.timeoutMs;
          while (counts.some((n) => n === 0) && Date.now() < until)
            await new Promise((r) => setTimeout(r, 100));
        } finally {
          await Promise.all([producer.disconnect(), ...consumers.map((c) => c.disconnect())]);
        }
        return { received: counts, lateReceived: (counts[o.groups - 1] ?? 0) > 0 };
      }),
  };
}
