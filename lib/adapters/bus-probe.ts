import { randomUUID } from 'node:crypto';
import type { KafkaClientName } from '../config/variables.js';
import type { BusClient, BusProbe } from '../ports/validation.js';
import { WaitTimeout, pending, waitUntil } from '../wait/wait-until.js';
import { busClient } from './bus-client.js';
import type { KafkaAdmin } from './kafka-admin-client.js';

const CLIENT_ID = 'foundation-validate';
const scratchName = (kind: string) => `foundation-validate-${kind}${randomUUID().slice(0, 8)}`;

/** The admin calls on a connection of their own (@platformatic/kafka, loaded on first use). */
async function withAdmin<T>(brokers: readonly string[], run: (admin: KafkaAdmin) => Promise<T>): Promise<T> {
  const { KafkaAdmin } = await import('./kafka-admin-client.js');
  const admin = new KafkaAdmin(brokers, CLIENT_ID);
  try {
    return await run(admin);
  } finally {
    await admin.close().catch(() => undefined);
  }
}

const create = (brokers: readonly string[], name: string, partitions: number) =>
  withAdmin(brokers, (a) => a.createTopic(name, partitions));
const drop = (brokers: readonly string[], name: string) => withAdmin(brokers, (a) => a.deleteTopic(name));

/** Until `done()` holds or `timeoutMs` passed; true when it held. */
async function until(done: () => boolean, what: string, timeoutMs: number): Promise<boolean> {
  try {
    await waitUntil(() => Promise.resolve(done() || pending(what)), {
      what,
      timeoutMs,
      intervalMs: 50,
      maxIntervalMs: 500,
    });
    return true;
  } catch (error) {
    if (error instanceof WaitTimeout) return false;
    throw error;
  }
}

/**
 * The event bus through the chosen client (KAFKA_CLIENT, @platformatic/kafka by default): bounded
 * traffic on a topic of its own, deleted afterwards. Topics are made and deleted through the Kafka
 * admin API (lib/adapters/kafka-admin-client.ts).
 */
export function createBusProbe(kind: KafkaClientName = 'platformatic'): BusProbe {
  const client = (brokers: readonly string[]): BusClient => busClient(kind, brokers, CLIENT_ID);
  return {
    async mark(brokers) {
      const mark = { topic: scratchName('persist-'), value: randomUUID() };
      await create(brokers, mark.topic, 1);
      const producer = await client(brokers).producer();
      try {
        await producer.send(mark.topic, [{ value: mark.value }]);
      } finally {
        await producer.close();
      }
      return mark;
    },
    async readBack(brokers, mark, o) {
      let found = false;
      try {
        const consumer = await client(brokers).consumer(
          mark.topic,
          (value) => {
            if (value === mark.value) found = true;
          },
          { groupId: `${mark.topic}-read`, from: 'earliest' },
        );
        try {
          await until(() => found, `the marked message on ${mark.topic}`, o.timeoutMs);
        } finally {
          await consumer.close().catch(() => undefined);
        }
      } finally {
        await drop(brokers, mark.topic).catch(() => undefined);
      }
      return found;
    },
    client,
    async scratchTopic(brokers, partitions) {
      const name = scratchName('');
      await create(brokers, name, partitions);
      return { name, drop: () => drop(brokers, name) };
    },
    async fanout(brokers, o) {
      const topic = scratchName('');
      await create(brokers, topic, 1);
      const bus = client(brokers);
      const closers: (() => Promise<void>)[] = [];
      const seen: string[][] = Array.from({ length: o.groups }, () => []);
      const start = async (i: number, from: 'earliest' | 'latest') => {
        const c = await bus.consumer(topic, (value) => seen[i]?.push(value), {
          groupId: `${topic}-g${i}`,
          from,
        });
        closers.push(() => c.close());
        return c;
      };
      const last = o.groups - 1;
      let first: number[];
      let back: string[] = [];
      try {
        for (let i = 0; i < last; i++) await start(i, 'earliest');
        const away = await start(last, 'earliest');
        const producer = await bus.producer();
        closers.push(() => producer.close());
        await producer.send(topic, [{ value: 'validate-1' }]);
        // Until every group has the event; one that never gets it shows as 0 in the result (judged there).
        const everyGroup = await until(
          () => seen.every((s) => s.length > 0),
          `the event in all ${o.groups} groups`,
          o.timeoutMs,
        );
        first = seen.map((s) => s.length);
        // A group that never got the first event has no offset to resume from: not asked a second time
        // (the probe stays within its two waits' budget, and AC1 says which group got nothing).
        if (!everyGroup) return { received: first, offlineReceived: false, redelivered: 0 };
        // The last group goes offline (closing commits what it read), misses the second event, comes back.
        await away.close();
        await producer.send(topic, [{ value: 'validate-2' }]);
        back = seen[last] = [];
        await start(last, 'latest');
        await until(
          () => back.includes('validate-2'),
          'the event published while a group was offline',
          o.timeoutMs,
        );
      } finally {
        await Promise.all(closers.map((close) => close().catch(() => undefined)));
        await drop(brokers, topic).catch(() => undefined);
      }
      return {
        received: first,
        offlineReceived: back.includes('validate-2'),
        redelivered: back.filter((v) => v === 'validate-1').length,
      };
    },
  };
}
