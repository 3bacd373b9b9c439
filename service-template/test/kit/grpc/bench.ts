// The grpc part's cost over bare grpc-js: unary Get at 16 in flight, through the kit (server interceptor
// with its span, histogram and one call log line to a discarding stream; the kit client with its deadline,
// span and context injection) and through bare grpc-js with the same proto, taking turns in short rounds
// (PAIRS pairs, the order flipped every pair) in one process, so both see the same machine load.
//
// Telemetry is started as a service starts it, twice: unsampled (the wrapper's own cost, what an
// unsampled call pays: as the other parts' benches, no span is recorded) in this process, and every call
// sampled (two spans recorded per call, to a discarding exporter) in a child process, because a process
// has one tracer provider. Prints one JSON line:
//   {"grpcRps","grpcP99Ms","bareGrpcRps","bareGrpcP99Ms","overheadPct","grpcCpuUsPerCall",
//    "bareGrpcCpuUsPerCall","tracedGrpcRps",…,"tracedOverheadPct",…}
// Each figure is the median over the pairs; overheadPct = (bare − kit) ÷ bare calls/s; CPU per call is the
// process's (client and server both run here). p99s are over every call of each side.
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Server, ServerCredentials, credentials } from '@grpc/grpc-js';
import { z } from 'zod';
import { grpcSettings, loadItemsProto, startGrpc, unary } from '../../../src/kit/grpc/index.js';
import type { ItemServiceClient } from '../../../src/kit/grpc/generated/items/v1/ItemService.js';
import { createLogger, createRegistry, startTelemetry } from '../../../src/telemetry/index.js';
import { median, p99, pairedRounds, round2 } from '../paired-rounds.js';

const COUNT = 1_000;
const PAIRS = 9;
/** No pair starts past this (a round stops past 1 s): with the 4 s warm-up each process stays under 25 s. */
const BUDGET_MS = 16_000;
const ITEM = { id: '1', name: 'kettle', quantity: 3 };
const SAMPLED = 'GRPC_BENCH_SAMPLED';

/** Bare and kit side by side under telemetry sampling every call or none. */
async function measure(sampled: boolean): Promise<Record<string, number>> {
  const telemetry = startTelemetry({
    serviceName: 'bench',
    serviceVersion: '1',
    environment: 'bench',
    sampleRatio: sampled ? 1 : 0,
    exporter: { export: (_spans, done) => done({ code: 0 }), shutdown: () => Promise.resolve() },
  });
  const ItemService = (await loadItemsProto()).items.v1.ItemService;
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const settings = z.object(grpcSettings).parse({ GRPC_PORT: '0', GRPC_HOST: '127.0.0.1' });
  const kit = await startGrpc(settings, {
    serviceName: 'bench',
    logger: createLogger({ name: 'bench', destination: discard }),
    registry: createRegistry({ defaultMetrics: false }),
  });
  kit.handle.server.addService(ItemService.service, {
    Get: unary(async () => ITEM),
    Create: unary(async () => ITEM),
  });
  const kitClient = kit.handle.client(ItemService, `127.0.0.1:${kit.handle.server.port}`);
  const bare = new Server();
  bare.addService(ItemService.service, {
    Get: (_call: unknown, callback: (e: null, v: typeof ITEM) => void) => callback(null, ITEM),
    Create: (_call: unknown, callback: (e: null, v: typeof ITEM) => void) => callback(null, ITEM),
  });
  const barePort = await new Promise<number>((resolve, reject) => {
    bare.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, port) =>
      e ? reject(e) : resolve(port),
    );
  });
  const bareClient: ItemServiceClient = new ItemService(
    `127.0.0.1:${barePort}`,
    credentials.createInsecure(),
  );
  const kitCall = (): Promise<unknown> => kitClient.Get({ id: '1' });
  const bareCall = (): Promise<unknown> =>
    new Promise((resolve, reject) => {
      bareClient.Get({ id: '1' }, (error, item) => (error ? reject(error) : resolve(item)));
    });
  const pairs = await pairedRounds(kitCall, bareCall, {
    count: COUNT,
    pairs: PAIRS,
    budgetMs: BUDGET_MS,
    cpu: (since) => process.cpuUsage(since),
  });
  bareClient.close();
  bare.forceShutdown();
  await kit.close();
  await telemetry.shutdown();
  return {
    grpcRps: Math.round(median(pairs.map((p) => p.k.rps))),
    grpcP99Ms: round2(p99(pairs.flatMap((p) => p.k.latencies))),
    bareGrpcRps: Math.round(median(pairs.map((p) => p.b.rps))),
    bareGrpcP99Ms: round2(p99(pairs.flatMap((p) => p.b.latencies))),
    overheadPct: round2(median(pairs.map(({ k, b }) => ((b.rps - k.rps) / b.rps) * 100))),
    grpcCpuUsPerCall: Math.round(median(pairs.map((p) => p.k.cpuUs))),
    bareGrpcCpuUsPerCall: Math.round(median(pairs.map((p) => p.b.cpuUs))),
    pairs: pairs.length,
  };
}

/** The sampled figures, from this script run again in a child process. */
function measureSampledInChild(): Record<string, number> {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, [SAMPLED]: '1' },
  });
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !last.startsWith('{'))
    throw new Error(`the sampled run failed (exit ${child.status}): ${child.stderr.slice(-1_000)}`);
  return JSON.parse(last) as Record<string, number>;
}

async function main(): Promise<void> {
  if (process.env[SAMPLED] === '1') {
    process.stdout.write(`${JSON.stringify(await measure(true))}\n`);
    return;
  }
  const unsampled = await measure(false);
  const sampled = measureSampledInChild();
  const traced = Object.fromEntries(
    Object.entries(sampled).map(([k, v]) => [`traced${k[0]?.toUpperCase()}${k.slice(1)}`, v]),
  );
  process.stdout.write(`${JSON.stringify({ ...unsampled, ...traced })}\n`);
}

await main();
