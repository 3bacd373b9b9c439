import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { producerPerfTest } from '../helpers/kafka-perf.js';
import { consumeValues } from '../helpers/consume.js';
import { useServer } from './servers.js';

const kafka = await useServer('kafka');

describe('Kafka (KRaft) test server', { skip: kafka.skip }, () => {
  it(
    'carries 1,000 messages from a kafkajs producer to a kafkajs consumer',
    { timeout: 60_000 },
    async () => {
      const client = new Kafka({
        clientId: 'proof',
        brokers: (kafka.env.KAFKA_BROKERS ?? '').split(','),
        logLevel: logLevel.NOTHING,
      });
      const topic = `proof-${randomUUID()}`;
      const admin = client.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
      const producer = client.producer({ idempotent: true });
      await producer.connect();
      const sent = Array.from({ length: 1_000 }, (_, i) => ({ key: `k${i % 10}`, value: `message-${i}` }));
      for (let i = 0; i < sent.length; i += 250) {
        await producer.send({ topic, acks: -1, messages: sent.slice(i, i + 250) });
      }
      const received = await consumeValues(client, topic, `proof-${randomUUID()}`, sent.length, 45_000);
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] });
      await admin.disconnect();
      assert.equal(received.length, 1_000);
      assert.deepEqual([...received].sort(), sent.map((m) => m.value).sort());
      // Per key (so per partition), order is kept.
      const ofKey = (list: string[]) => list.filter((v) => Number(v.split('-')[1]) % 10 === 3);
      assert.deepEqual(ofKey(received), ofKey(sent.map((m) => m.value)));
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
