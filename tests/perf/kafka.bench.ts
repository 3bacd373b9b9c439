// `npm run bench -- kafka`: kafkajs against the test Kafka (KRaft, the Redpanda stand-in) on loopback.
//  (a) producer throughput flat out: idempotent producer, acks=all, 1 KiB messages, 100,000 of them;
//  (b) end-to-end latency at a fixed 10,000 msg/s for 10 s after a 2 s warm-up, from the produce timestamp
//      carried in each message to its consumption; every sample kept;
//  (c) the reference: Kafka's own kafka-producer-perf-test with the same size, count and acks.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { perfRate, producerPerfTest } from '../helpers/kafka-perf.js';
import { kafkajsClient, platformaticClient, type BenchClient } from './kafka-clients.js';
import { ensureStarted, stopAll } from '../../scripts/test-servers/manager.js';

const SIZE = 1024;
const COUNT = 100_000;
const RATE = 10_000;
const pad = 'x'.repeat(SIZE - 40);

async function throughput(client: BenchClient, topic: string): Promise<number> {
  const producer = await client.producer();
  const batch = (from: number) =>
    Array.from({ length: 1000 }, (_, i) => ({ key: String((from + i) % 12), value: `${from + i}|${pad}` }));
  await producer.send(topic, batch(0)); // warm-up
  const started = performance.now();
  for (let sent = 0; sent < COUNT; sent += 4_000) {
    // Four batches in flight (both clients keep idempotent sequence numbers right when sends overlap).
    await Promise.all([0, 1, 2, 3].map((k) => producer.send(topic, batch(sent + k * 1000))));
  }
  const seconds = (performance.now() - started) / 1_000;
  await producer.close();
  return COUNT / seconds;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

async function latency(
  client: BenchClient,
  topic: string,
): Promise<{ p50: number; p95: number; p99: number; samples: number }> {
  const samples: number[] = [];
  let recording = false;
  const consumer = await client.consumer(topic, (value) => {
    if (recording) samples.push(performance.timeOrigin + performance.now() - Number(value.split('|')[0]));
  });
  await sleep(3_000); // group joined, partitions assigned
  const producer = await client.producer();
  const tick = 10; // ms: 100 messages every 10 ms = 10,000 msg/s
  const run = async (ms: number): Promise<void> => {
    const start = performance.now();
    for (let i = 0; performance.now() - start < ms; i++) {
      const wait = start + i * tick - performance.now();
      if (wait > 0) await sleep(wait);
      const sentAt = performance.timeOrigin + performance.now();
      await producer.send(
        topic,
        Array.from({ length: (RATE * tick) / 1000 }, () => ({ value: `${sentAt}|${pad}` })),
      );
    }
  };
  await run(2_000); // warm-up, not recorded
  recording = true;
  await run(10_000);
  await sleep(1_000); // let the last messages arrive
  recording = false;
  await producer.close();
  await consumer.close();
  samples.sort((a, b) => a - b);
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    samples: samples.length,
  };
}

function reference(libs: string, brokers: string, topic: string): number {
  return perfRate(producerPerfTest({ libs, brokers, topic, records: COUNT, size: SIZE }));
}

export async function benchKafka(): Promise<Record<string, number | string>> {
  const root = mkdtempSync(join(tmpdir(), 'bench-kafka-'));
  try {
    const server = await ensureStarted(root, 'kafka');
    const brokers = server.env.KAFKA_BROKERS ?? '';
    const kafka = new Kafka({ clientId: 'bench', brokers: [brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = ['bench.tput', 'bench.latency', 'bench.ref', 'bench.alt.tput', 'bench.alt.latency'];
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: 6 })),
    });
    await admin.disconnect();
    const main = kafkajsClient([brokers]);
    const msgPerSec = await throughput(main, 'bench.tput');
    const lat = await latency(main, 'bench.latency');
    const alternative = platformaticClient([brokers]);
    const altMsgPerSec = await throughput(alternative, 'bench.alt.tput');
    const altLat = await latency(alternative, 'bench.alt.latency');
    // Count what the broker holds: a client that drops messages must not look fast.
    const check = kafka.admin();
    await check.connect();
    const stored = async (topic: string) =>
      (await check.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    const delivered = await stored('bench.tput');
    const altDelivered = await stored('bench.alt.tput');
    await check.disconnect();
    const ref = reference(server.env.KAFKA_LIBS ?? '', brokers, 'bench.ref');
    const r = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
    return {
      name: 'kafka',
      producerMsgPerSec: r(msgPerSec, 0),
      producerMBPerSec: r((msgPerSec * SIZE) / 1_048_576, 2),
      e2eP50Ms: r(lat.p50, 2),
      e2eP95Ms: r(lat.p95, 2),
      e2eP99Ms: r(lat.p99, 2),
      e2eSamples: lat.samples,
      referenceMsgPerSec: r(ref, 0),
      ratioToReference: r(msgPerSec / ref, 3),
      client: 'kafkajs',
      expectedStored: COUNT + 1000,
      stored: delivered,
      alternative: alternative.name,
      altProducerMsgPerSec: r(altMsgPerSec, 0),
      altE2eP50Ms: r(altLat.p50, 2),
      altE2eP95Ms: r(altLat.p95, 2),
      altE2eP99Ms: r(altLat.p99, 2),
      altStored: altDelivered,
      altRatioToReference: r(altMsgPerSec / ref, 3),
    };
  } finally {
    await stopAll(root);
  }
}
