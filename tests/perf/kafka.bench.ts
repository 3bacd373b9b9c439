// `npm run bench -- kafka`: kafkajs against the test Kafka (KRaft, the Redpanda stand-in) on loopback.
//  (a) producer throughput flat out: idempotent producer, acks=all, 1 KiB messages, 100,000 of them;
//  (b) end-to-end latency at a fixed 10,000 msg/s for 10 s after a 2 s warm-up, from the produce timestamp
//      carried in each message to its consumption; every sample kept;
//  (a) and (b) are lib/validate/bus-measure.ts, the procedures `foundation validate` runs (with less load);
//  (c) the reference: Kafka's own kafka-producer-perf-test with the same size, count and acks.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { perfRate, producerPerfTest } from '../helpers/kafka-perf.js';
import { kafkajsClient } from '../../lib/adapters/bus-client.js';
import type { BusClient } from '../../lib/ports/validation.js';
import { measureLatency, measureThroughput } from '../../lib/validate/bus-measure.js';
import { platformaticClient } from './kafka-clients.js';
import { ensureStarted, stopAll } from '../../scripts/test-servers/manager.js';

const SIZE = 1024;
const COUNT = 100_000;
/** The measurement procedures are the product's (task 0-13 runs them too, with less load). */
const LOAD = { count: COUNT, size: SIZE, rate: 10_000, warmupMs: 2_000, recordMs: 10_000 };

const throughput = (client: BusClient, topic: string) => measureThroughput(client, topic, LOAD);
const latency = (client: BusClient, topic: string) => measureLatency(client, topic, LOAD, (ms) => sleep(ms));

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
      e2eExpected: lat.expected,
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
