// The load measurements (task 0-13 and `npm run bench -- kafka`) over an in-memory client: what they send,
// what they count, and the percentiles — not how fast this machine is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BusClient } from '../../lib/ports/validation.js';
import { measureLatency, measureThroughput, percentile } from '../../lib/validate/bus-measure.js';

/** Delivers every message to the topic's consumers at once; records every send. */
function memoryClient(): BusClient & { sends: { topic: string; n: number; size: number }[] } {
  const consumers = new Map<string, ((v: string) => void)[]>();
  const sends: { topic: string; n: number; size: number }[] = [];
  return {
    name: 'memory',
    sends,
    producer: () =>
      Promise.resolve({
        send: (topic, messages) => {
          sends.push({ topic, n: messages.length, size: messages[0]?.value.length ?? 0 });
          for (const m of messages) for (const on of consumers.get(topic) ?? []) on(m.value);
          return Promise.resolve();
        },
        close: () => Promise.resolve(),
      }),
    consumer: (topic, onValue) => {
      consumers.set(topic, [...(consumers.get(topic) ?? []), onValue]);
      return Promise.resolve({ close: () => Promise.resolve() });
    },
  };
}

describe('the bus measurements', () => {
  it('throughput: every message sent once in batches of at most 1,000, after one warm-up batch', async () => {
    const client = memoryClient();
    const rate = await measureThroughput(client, 't', { count: 5_500, size: 1024 });
    assert.ok(rate > 0);
    const [warmup, ...rest] = client.sends;
    assert.equal(warmup?.n, 1_000);
    assert.equal(
      rest.reduce((n, s) => n + s.n, 0),
      5_500,
    );
    assert.deepEqual(
      [...new Set(rest.map((s) => s.n))].sort((a, b) => a - b),
      [500, 1_000],
    );
    assert.ok(
      client.sends.every((s) => s.size >= 984),
      'messages carry their size',
    );
  });

  it('latency: a fixed rate in 10 ms ticks, only the recorded window counted, every message timed', async () => {
    const client = memoryClient();
    const lat = await measureLatency(
      client,
      't',
      { rate: 2_000, size: 64, warmupMs: 30, recordMs: 200 },
      (ms) => sleep(ms),
      { joinMs: 0, tailMs: 20 },
    );
    assert.equal(lat.expected % 20, 0, 'whole ticks of 20 messages');
    // 200 ms of 10 ms ticks: late ticks are caught up, but a machine stalled past the window sends fewer,
    // so only "at least one tick, never more than the window holds (plus timer slack)" is certain.
    assert.ok(lat.expected >= 20 && lat.expected <= 25 * 20, String(lat.expected));
    assert.equal(lat.samples, lat.expected, 'in memory nothing is lost or late');
    assert.ok(lat.p50 <= lat.p95 && lat.p95 <= lat.p99);
  });

  it('percentile by nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.deepEqual(
      [50, 95, 99, 100].map((p) => percentile(sorted, p)),
      [50, 95, 99, 100],
    );
    assert.ok(Number.isNaN(percentile([], 95)));
  });
});
