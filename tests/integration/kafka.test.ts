import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { busClient } from '../../lib/adapters/bus-client.js';
import { connectTopicAdmin } from '../../lib/adapters/kafka-admin.js';
import { KAFKA_CLIENTS } from '../../lib/config/variables.js';
import { waitUntil, pending } from '../../lib/wait/wait-until.js';
import { producerPerfTest } from '../helpers/kafka-perf.js';
import { consumeValues } from '../helpers/consume.js';
import { sendValues, testProducer } from '../helpers/kafka.js';
import { useServer } from './servers.js';

const kafka = await useServer('kafka');
const brokers = (kafka.env.KAFKA_BROKERS ?? '').split(',');
const sent = Array.from({ length: 1_000 }, (_, i) => `message-${i}`);
const keyOf = (i: number) => `k${i % 10}`;
/** Per key (so per partition), order is kept. */
const ofKey = (list: readonly string[]) => list.filter((v) => Number(v.split('-')[1]) % 10 === 3);

async function newTopic(partitions: number): Promise<string> {
  const topic = `proof-${randomUUID()}`;
  const admin = await connectTopicAdmin(brokers);
  try {
    await admin.create({ name: topic, partitions, replicationFactor: 1, config: {} });
  } finally {
    await admin.close();
  }
  return topic;
}

describe('Kafka (KRaft) test server', { skip: kafka.skip }, () => {
  it(
    'carries 1,000 messages from a producer to a consumer (@platformatic/kafka)',
    { timeout: 60_000 },
    async () => {
      const topic = await newTopic(3);
      const producer = testProducer(brokers);
      for (let i = 0; i < sent.length; i += 250)
        await sendValues(producer, topic, sent.slice(i, i + 250), (j) => keyOf(i + j));
      await producer.close();
      const received = await consumeValues(brokers, topic, `proof-${randomUUID()}`, sent.length, 45_000);
      assert.equal(received.length, 1_000);
      assert.deepEqual([...received].sort(), [...sent].sort());
      assert.deepEqual(ofKey(received), ofKey(sent));
    },
  );
});

// The probes' client port (lib/ports/validation.ts BusClient), the same checks for each client.
describe('the bus clients of foundation validate on the real broker', { skip: kafka.skip }, () => {
  for (const kind of KAFKA_CLIENTS)
    it(
      `${kind}: every message of an idempotent acks=all producer arrives, in order per key`,
      { timeout: 90_000 },
      async () => {
        const client = busClient(kind, brokers, 'proof');
        const topic = await newTopic(3);
        const received: string[] = [];
        const consumer = await client.consumer(topic, (v) => received.push(v), { from: 'earliest' });
        const producer = await client.producer();
        try {
          for (let i = 0; i < sent.length; i += 250)
            await producer.send(
              topic,
              sent.slice(i, i + 250).map((value, j) => ({ key: keyOf(i + j), value })),
            );
          await waitUntil(
            () => Promise.resolve(received.length >= sent.length || pending(`${received.length} arrived`)),
            { what: `${sent.length} messages through ${client.name}`, timeoutMs: 60_000, intervalMs: 50 },
          );
        } finally {
          await producer.close();
          await consumer.close();
        }
        assert.deepEqual([...received].sort(), [...sent].sort(), 'each one exactly once');
        assert.deepEqual(ofKey(received), ofKey(sent));
      },
    );
});

describe('Kafka’s own producer perf test (the benchmark reference)', { skip: kafka.skip }, () => {
  it('runs from the same jars against the test broker', { timeout: 60_000 }, (t) => {
    const libs = kafka.env.KAFKA_LIBS;
    if (!libs) {
      // A broker of your own (FOUNDATION_TEST_USE_EXTERNAL=1): its jars are not known here.
      t.skip('KAFKA_LIBS unknown for an external broker');
      return;
    }
    const out = producerPerfTest({
      libs,
      brokers: kafka.env.KAFKA_BROKERS ?? '',
      topic: `perf-${randomUUID()}`,
      records: 2000,
      size: 1024,
    });
    assert.match(out, /2000 records sent, [\d.]+ records\/sec .* 50th/);
  });
});
