import type { BusClient, BusLoad } from '../ports/validation.js';

/** p-th percentile of sorted numbers (nearest rank). Pure. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN);

const BATCH = 1_000;
const IN_FLIGHT = 4;
/** Every tick sends rate × tick / 1000 messages. */
const TICK_MS = 10;

const padding = (size: number): string => 'x'.repeat(Math.max(0, size - 40));

/**
 * Producer throughput flat out: `count` messages of `size` bytes in batches of 1,000, four in flight
 * (idempotent, acks=all), after one warm-up batch. The same procedure `npm run bench -- kafka` runs.
 */
export async function measureThroughput(
  client: BusClient,
  topic: string,
  load: Pick<BusLoad, 'count' | 'size'>,
): Promise<number> {
  const producer = await client.producer();
  const pad = padding(load.size);
  const batch = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({ key: String((from + i) % 12), value: `${from + i}|${pad}` }));
  try {
    await producer.send(topic, batch(0, Math.min(BATCH, load.count))); // warm-up
    const started = performance.now();
    for (let sent = 0; sent < load.count; sent += BATCH * IN_FLIGHT)
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, (_, k) => sent + k * BATCH)
          .filter((from) => from < load.count)
          .map((from) => producer.send(topic, batch(from, Math.min(BATCH, load.count - from)))),
      );
    return load.count / Math.max(1e-3, (performance.now() - started) / 1_000);
  } finally {
    await producer.close();
  }
}

/**
 * End-to-end latency at a fixed rate: `rate` msg/s for `warmupMs` (not recorded) then `recordMs`, each
 * message carrying its send time; every sample kept. The same procedure `npm run bench -- kafka` runs.
 */
export async function measureLatency(
  client: BusClient,
  topic: string,
  load: Pick<BusLoad, 'rate' | 'size' | 'warmupMs' | 'recordMs'>,
  sleep: (ms: number) => Promise<void>,
  /** How long to let the consumer group join before sending, and the last messages arrive after. */
  settle: { joinMs: number; tailMs: number } = { joinMs: 3_000, tailMs: 1_000 },
): Promise<{ p50: number; p95: number; p99: number; samples: number; expected: number }> {
  const samples: number[] = [];
  let recording = false;
  const now = () => performance.timeOrigin + performance.now();
  const consumer = await client.consumer(topic, (value) => {
    if (recording) samples.push(now() - Number(value.split('|')[0]));
  });
  const pad = padding(load.size);
  const perTick = Math.max(1, Math.round((load.rate * TICK_MS) / 1_000));
  let expected = 0;
  try {
    await sleep(settle.joinMs); // the group joined, partitions assigned
    const producer = await client.producer();
    const run = async (ms: number, counted: boolean): Promise<void> => {
      const start = performance.now();
      for (let i = 0; performance.now() - start < ms; i++) {
        const wait = start + i * TICK_MS - performance.now();
        if (wait > 0) await sleep(wait);
        const sentAt = now();
        await producer.send(
          topic,
          Array.from({ length: perTick }, () => ({ value: `${sentAt}|${pad}` })),
        );
        if (counted) expected += perTick;
      }
    };
    try {
      await run(load.warmupMs, false);
      recording = true;
      await run(load.recordMs, true);
      await sleep(settle.tailMs); // the last messages arrive
      recording = false;
    } finally {
      await producer.close();
    }
  } finally {
    await consumer.close();
  }
  samples.sort((a, b) => a - b);
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    samples: samples.length,
    expected,
  };
}
