// The http-client's cost over bare undici: a loopback server (in a worker thread, so it does not share the
// client's event loop) answers small JSON; the kit's getJson and undici's request + body.json() on an Agent
// with the same settings take turns in short rounds (PAIRS pairs of COUNT calls, 16 at a time, the order
// flipped every pair), so both see the same machine load. Tracing is not started (the API's no-op tracer),
// metrics are on. Prints one JSON line:
//   {"httpClientOverheadUs":…,"kitRps":…,"bareRps":…,"kitP99Ms":…,"bareP99Ms":…,"overheadPct":…, …}
// Each figure is the median over the pairs: httpClientOverheadUs = 1e6/kitRps − 1e6/bareRps (the wall time
// the kit adds per call at this concurrency), overheadPct = bareRps/kitRps − 1; kitCpuUs/bareCpuUs: the
// client thread's CPU per call. p99s are over every call of each side.
import { createServer } from 'node:http';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { pino } from 'pino';
import { httpClientSettings, startHttpClient, httpClientAgent } from '../../../src/kit/http-client/index.js';
import { createRegistry } from '../../../src/telemetry/index.js';
import { z } from 'zod';
import { DEFAULT_CONCURRENCY, median, p99, pairedRounds, round2 } from '../paired-rounds.js';

/**
 * Calls per round: 3,000 (150-200 ms at this rate). Rounds of 600 lasted about 30 ms, and three runs on a
 * 2-core VM gave overheads of -15 %, -4 % and 25 %; with 3,000, -2 %, 9 % and 12 %.
 */
const COUNT = 3_000;
const PAIRS = 15;
/** No pair starts past this (a round stops past 1 s): with the 4 s warm-up the bench stays under 20 s. */
const BUDGET_MS = 12_000;

function serve(): void {
  const body = JSON.stringify({ id: 'o-1', total: 12.5, items: [1, 2, 3] });
  const server = createServer((_request, response) => {
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    parentPort?.postMessage(typeof address === 'object' && address ? address.port : 0);
  });
}

async function main(): Promise<void> {
  const server = new Worker(new URL(import.meta.url));
  const port = await new Promise<number>((resolve) => server.once('message', resolve));
  const origin = `http://127.0.0.1:${port}`;
  const settings = z.object(httpClientSettings).parse({});
  const registry = createRegistry({ defaultMetrics: false });
  const part = await startHttpClient(settings, {
    serviceName: 'bench',
    logger: pino({ level: 'silent' }),
    registry,
  });
  const agent = httpClientAgent(settings);
  const kitCall = () => part.handle.getJson({ origin, path: '/orders/o-1' });
  const bareCall = async () => {
    const response = await agent.request({
      origin,
      path: '/orders/o-1',
      method: 'GET',
      headers: { accept: 'application/json' },
    });
    if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
    return response.body.json();
  };
  try {
    const pairs = await pairedRounds(kitCall, bareCall, {
      count: COUNT,
      pairs: PAIRS,
      budgetMs: BUDGET_MS,
      cpu: (since) => process.threadCpuUsage(since),
    });
    const kit = pairs.map((p) => p.k);
    const bare = pairs.map((p) => p.b);
    const result = {
      name: 'http-client',
      httpClientOverheadUs: round2(median(pairs.map(({ k, b }) => 1e6 / k.rps - 1e6 / b.rps))),
      kitRps: Math.round(median(kit.map((r) => r.rps))),
      bareRps: Math.round(median(bare.map((r) => r.rps))),
      kitP99Ms: round2(p99(kit.flatMap((r) => r.latencies))),
      bareP99Ms: round2(p99(bare.flatMap((r) => r.latencies))),
      overheadPct: round2(median(pairs.map(({ k, b }) => (b.rps / k.rps - 1) * 100))),
      kitCpuUs: round2(median(kit.map((r) => r.cpuUs))),
      bareCpuUs: round2(median(bare.map((r) => r.cpuUs))),
      concurrency: DEFAULT_CONCURRENCY,
      pairs: pairs.length,
      requests: kit.reduce((n, r) => n + r.latencies.length, 0),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await part.close();
    await agent.close();
    await server.terminate();
  }
}

if (isMainThread) await main();
else serve();
