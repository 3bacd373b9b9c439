// The postgres part's cost: `SELECT $1::int` at 16 concurrent callers through the kit's Database.query and
// through a bare pg.Pool with the same settings, in alternating rounds (so drift hits both alike). Bare
// rounds run with the pg instrumentation removed; kit rounds with it applied, as a service runs (no parent
// span, so no span is made: what is measured is the wrapper, not exporting).
//   TEST_DATABASE_URL=postgres://… node dist/test/kit/postgres/bench.js   → one JSON line on stdout
import { Writable } from 'node:stream';
import pg from 'pg';
import { z } from 'zod';
import { postgresSettings, startPostgres } from '../../../src/kit/postgres/index.js';
import { instrumentPg, uninstrumentPg } from '../../../src/kit/postgres/tracing.js';
import { createLogger, createRegistry } from '../../../src/telemetry/index.js';

const CONCURRENCY = 16;
/**
 * Queries per round. At 15-20k queries/s a 600-query round lasted 30-40 ms, short enough for one GC pause
 * or scheduler hiccup to swing it: five runs on a 2-core VM gave overheads from -3 % to 20 %. Rounds of
 * 3,000 (150-200 ms) gave 5.6-10.6 % over three runs on the same machine, and still fit the run budget.
 */
const PER_ROUND = 3_000;
/** Pairs of rounds, bare and kit, in alternating order (bare first, then kit first, …). */
const PAIRS = 21;
/** A round stops early after this long, so the whole run stays well under 20 s. */
const ROUND_BUDGET_MS = 1_200;
/** No new pair starts after this long: the run ends within about 18 s however slow the machine is. */
const RUN_BUDGET_MS = 12_000;

interface Round {
  readonly queries: number;
  readonly ms: number;
  /** This process's CPU time (user + system), in microseconds: the wrapper's cost, less noisy than time. */
  readonly cpuUs: number;
  readonly latencies: number[];
}

async function round(query: (i: number) => Promise<unknown>): Promise<Round> {
  const latencies: number[] = [];
  let next = 0;
  const begun = performance.now();
  const cpu = process.cpuUsage();
  const worker = async (): Promise<void> => {
    while (next < PER_ROUND && performance.now() - begun < ROUND_BUDGET_MS) {
      const i = next++;
      const t = performance.now();
      await query(i);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(cpu);
  return {
    queries: latencies.length,
    ms: performance.now() - begun,
    cpuUs: used.user + used.system,
    latencies,
  };
}

function summary(rounds: Round[]): { perSec: number; p99Ms: number; cpuUsPerQuery: number } {
  const queries = rounds.reduce((n, r) => n + r.queries, 0);
  const ms = rounds.reduce((n, r) => n + r.ms, 0);
  const cpuUs = rounds.reduce((n, r) => n + r.cpuUs, 0);
  const sorted = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
  return {
    perSec: Math.round((queries / ms) * 1_000),
    p99Ms: Math.round(p99 * 1_000) / 1_000,
    cpuUsPerQuery: Math.round((cpuUs / queries) * 10) / 10,
  };
}

/** The median over pairs of `cost(kit round, bare round)`: each pair ran back to back, so drift cancels. */
function medianOfPairs(kit: Round[], bare: Round[], cost: (k: Round, b: Round) => number): number {
  const values = kit.map((k, i) => cost(k, bare[i] ?? k)).sort((a, b) => a - b);
  const mid = values.length / 2;
  const median =
    values.length % 2 ? (values[Math.floor(mid)] ?? 0) : ((values[mid - 1] ?? 0) + (values[mid] ?? 0)) / 2;
  return Math.round(median * 1_000) / 10;
}

async function main(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    process.stdout.write(
      `${JSON.stringify({ name: 'kit-postgres', skipped: 'TEST_DATABASE_URL is not set' })}\n`,
    );
    return;
  }
  const settings = z
    .object(postgresSettings)
    .parse({ DATABASE_URL: url, DB_MIGRATE: 'off', DB_POOL_MAX: '16' });
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger({ name: 'bench', level: 'warn', destination: quiet });
  const part = await startPostgres(settings, { serviceName: 'bench', logger, registry: createRegistry() });
  const bare = new pg.Pool({
    connectionString: url,
    max: settings.DB_POOL_MAX,
    connectionTimeoutMillis: settings.DB_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: settings.DB_IDLE_TIMEOUT_MS,
    statement_timeout: settings.DB_STATEMENT_TIMEOUT_MS,
    keepAlive: true,
    application_name: 'bench-bare',
  });
  const kitQuery = (i: number) => part.handle.query('SELECT $1::int AS n', [i]);
  const bareQuery = async (i: number) => (await bare.query('SELECT $1::int AS n', [i])).rows;
  try {
    uninstrumentPg();
    await round(bareQuery); // warm-up: connections opened, code paths hot
    instrumentPg();
    await round(kitQuery);
    const kit: Round[] = [];
    const raw: Round[] = [];
    const runBare = async () => {
      uninstrumentPg();
      raw.push(await round(bareQuery));
    };
    const runKit = async () => {
      instrumentPg();
      kit.push(await round(kitQuery));
    };
    const started = performance.now();
    for (let pair = 0; pair < PAIRS && performance.now() - started < RUN_BUDGET_MS; pair += 1) {
      for (const run of pair % 2 === 0 ? [runBare, runKit] : [runKit, runBare]) await run();
    }
    const k = summary(kit);
    const b = summary(raw);
    const figures = {
      name: 'kit-postgres',
      pgQueriesPerSec: k.perSec,
      pgP99Ms: k.p99Ms,
      barePgQueriesPerSec: b.perSec,
      barePgP99Ms: b.p99Ms,
      // Throughput lost to the wrapper, in %: the median over pairs, robust to a busy machine.
      overheadPct: medianOfPairs(kit, raw, (kr, br) => 1 - kr.queries / kr.ms / (br.queries / br.ms)),
      pgCpuUsPerQuery: k.cpuUsPerQuery,
      barePgCpuUsPerQuery: b.cpuUsPerQuery,
      cpuOverheadPct: medianOfPairs(
        kit,
        raw,
        (kr, br) => kr.cpuUs / kr.queries / (br.cpuUs / br.queries) - 1,
      ),
      concurrency: CONCURRENCY,
      queries: kit.reduce((n, r) => n + r.queries, 0),
      pairs: kit.length,
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await Promise.all([part.close(), bare.end()]);
  }
}

await main();
