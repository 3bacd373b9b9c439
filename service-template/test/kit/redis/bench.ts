// Cache hits through the kit against bare node-redis GETs of the same key, same concurrency, same Redis:
//   TEST_REDIS_URL=redis://… node dist/test/kit/redis/bench.js
// prints one JSON line: cacheHitP99Us / cacheHitsPerSec (kit get: GET, JSON decode, metrics, span — a no-op
// one without a tracer provider, as in the template when tracing is off — and the timeout) next to
// bareHitP99Us / bareHitsPerSec (client.get, the raw string), overheadPct (throughput lost to the kit), and
// this process's CPU time per call on each side (cacheHitCpuUs, bareHitCpuUs: steadier than throughput on a
// shared machine). bareNoTimeout*: the bare client without node-redis's default per-command timeout (an
// AbortSignal.timeout per command), which the kit turns off and replaces with its own cheaper deadline. Bounded: ROUNDS × OPS calls per side in short alternating rounds (so a burst of load
// elsewhere hits both sides alike), stopped after 10 s of measuring.
import { pathToFileURL } from 'node:url';
import { createClient } from 'redis';
import { redisSettings, startRedis } from '../../../src/kit/redis/index.js';
import { createLogger, createRegistry } from '../../../src/telemetry/index.js';
import { z } from 'zod';

const CONCURRENCY = 16;
const OPS = 4_000;
const ROUNDS = 12;
/** Measuring stops starting rounds after this; with set-up and warm-up the run stays under 20 s. */
const MEASURE_MS = 10_000;
/** Whatever happens (a slow Redis), calls stop this long after the benchmark starts. */
const HARD_STOP_MS = 18_000;
const VALUE = {
  id: 1234,
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  roles: ['admin', 'ops'],
  active: true,
};

interface Round {
  readonly micros: Float64Array;
  readonly seconds: number;
  /** This process's CPU time (user + system) for the round, in microseconds. */
  readonly cpuUs: number;
}

/** `ops` calls of `fn`, CONCURRENCY at a time (fewer if the hard deadline passes); latencies in µs. */
async function round(fn: () => Promise<unknown>, ops: number, hardStop: number): Promise<Round> {
  const micros = new Float64Array(ops);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < ops && performance.now() < hardStop) {
      const i = next++;
      const t = process.hrtime.bigint();
      await fn();
      micros[i] = Number(process.hrtime.bigint() - t) / 1_000;
      done += 1;
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(cpu);
  return {
    micros: micros.subarray(0, done),
    seconds: (performance.now() - started) / 1_000,
    cpuUs: used.user + used.system,
  };
}

function summarise(rounds: readonly Round[]): { p99Us: number; perSec: number; cpuUsPerOp: number } {
  const all = Float64Array.from(rounds.flatMap((r) => Array.from(r.micros))).sort();
  const p99 = all[Math.min(all.length - 1, Math.floor(all.length * 0.99))] ?? 0;
  const seconds = rounds.reduce((s, r) => s + r.seconds, 0);
  const cpuUs = rounds.reduce((s, r) => s + r.cpuUs, 0);
  return {
    p99Us: Math.round(p99),
    perSec: Math.round(all.length / seconds),
    cpuUsPerOp: Math.round((cpuUs / all.length) * 10) / 10,
  };
}

export async function benchCache(url: string): Promise<Record<string, number | string>> {
  const hardStop = performance.now() + HARD_STOP_MS;
  const settings = z.object(redisSettings).parse({ REDIS_URL: url, CACHE_PREFIX: 'kit-bench:' });
  const logger = createLogger({ name: 'kit-bench', level: 'warn', destination: process.stderr });
  const part = await startRedis(settings, { serviceName: 'kit-bench', logger, registry: createRegistry() });
  // The bare library as a service would use it (node-redis defaults), and the same without its default
  // per-command timeout, which the kit replaces with its own (so its saving shows apart from the kit's cost).
  const bare = createClient({ url });
  const lean = createClient({ url, commandOptions: { timeout: 0 } });
  for (const c of [bare, lean]) c.on('error', () => undefined);
  await Promise.all([bare.connect(), lean.connect()]);
  try {
    const cache = part.handle;
    if (!(await cache.set('hit', VALUE, 600))) throw new Error('could not write the benchmark key');
    const key = `${cache.prefix}hit`;
    const sides = {
      kit: async (): Promise<void> => {
        if ((await cache.get<typeof VALUE>('hit'))?.id !== VALUE.id) throw new Error('kit get missed');
      },
      bare: async (): Promise<void> => {
        if ((await bare.get(key)) === null) throw new Error('bare get missed');
      },
      lean: async (): Promise<void> => {
        if ((await lean.get(key)) === null) throw new Error('bare get missed');
      },
    };
    const rounds = { kit: [] as Round[], bare: [] as Round[], lean: [] as Round[] };
    for (const fn of Object.values(sides)) await round(fn, OPS / 2, hardStop);
    const started = performance.now();
    for (let r = 0; r < ROUNDS && performance.now() - started < MEASURE_MS; r += 1) {
      for (const [name, fn] of Object.entries(sides))
        rounds[name as keyof typeof sides].push(await round(fn, OPS, hardStop));
    }
    const k = summarise(rounds.kit);
    const b = summarise(rounds.bare);
    const l = summarise(rounds.lean);
    return {
      name: 'kit-redis',
      cacheHitP99Us: k.p99Us,
      cacheHitsPerSec: k.perSec,
      bareHitP99Us: b.p99Us,
      bareHitsPerSec: b.perSec,
      overheadPct: Math.round((b.perSec / k.perSec - 1) * 1_000) / 10,
      cacheHitCpuUs: k.cpuUsPerOp,
      bareHitCpuUs: b.cpuUsPerOp,
      bareNoTimeoutHitP99Us: l.p99Us,
      bareNoTimeoutHitsPerSec: l.perSec,
      bareNoTimeoutHitCpuUs: l.cpuUsPerOp,
      concurrency: CONCURRENCY,
      opsPerSide: rounds.kit.reduce((n, r) => n + r.micros.length, 0),
      valueBytes: JSON.stringify(VALUE).length,
    };
  } finally {
    bare.destroy();
    lean.destroy();
    await part.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env.TEST_REDIS_URL;
  if (!url) {
    process.stderr.write('set TEST_REDIS_URL to a Redis 7 the benchmark may write one key to\n');
    process.exitCode = 2;
  } else {
    process.stdout.write(`${JSON.stringify(await benchCache(url))}\n`);
  }
}
