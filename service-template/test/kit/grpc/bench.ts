// The grpc part's cost over bare grpc-js: unary Get at 16 in flight, through the kit (server interceptor
// with its span, histogram and one call log line to a discarding stream; the kit client with its deadline,
// span and context injection) and through bare grpc-js with the same proto and the same settings (the
// client's deadline, both sides' message limits), as the other parts' benches give the bare library the
// kit's settings. Kit and bare take turns in rounds of COUNT calls (PAIRS pairs, the order flipped every
// pair) in one process, so both see the same machine load.
//
// What the deadline itself costs in grpc-js (a timer on each side and the `grpc-timeout` header) is
// measured beside it, bare with the deadline against bare without: `deadlineCostPct`.
//
// Telemetry is started as a service starts it, twice: unsampled (the wrapper's own cost, what an
// unsampled call pays: as the other parts' benches, no span is recorded) in this process, and every call
// sampled (two spans recorded per call, to a discarding exporter) in a child process, because a process
// has one tracer provider. Prints one JSON line:
//   {"grpcRps","grpcP99Ms","bareGrpcRps","bareGrpcP99Ms","overheadPct","grpcCpuUsPerCall",
//    "bareGrpcCpuUsPerCall","deadlineCostPct","tracedGrpcRps",…,"tracedOverheadPct",…}
// Each figure is the median over the pairs; overheadPct = (bare − kit) ÷ bare calls/s; CPU per call is the
// process's (client and server both run here). p99s are over every call of each side.
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Metadata, Server, ServerCredentials, credentials } from '@grpc/grpc-js';
import { z } from 'zod';
import { grpcSettings, loadItemsProto, startGrpc, unary } from '../../../src/kit/grpc/index.js';
import type { ItemServiceClient } from '../../../src/kit/grpc/generated/items/v1/ItemService.js';
import { createLogger, createRegistry, startTelemetry } from '../../../src/telemetry/index.js';
import { median, p99, pairedRounds, round2 } from '../paired-rounds.js';

/**
 * Calls per round: 3,000 (about 0.4 s at 8,000 calls/s). Rounds of 1,000 on a 2-core VM gave overheads
 * from 6 to 24 % in five runs of the same code; rounds of 4,000, from 11 to 18 %.
 */
const COUNT = 3_000;
const PAIRS = 15;
/**
 * No pair starts past this (a round stops past 1 s): with the warm-ups, the unsampled process (which also
 * times the deadline) stays under 50 s and the sampled one under 30 s.
 */
const BUDGET_MS = 24_000;
/** The deadline's own cost: fewer pairs, it is a side figure. */
const DEADLINE_PAIRS = 11;
const DEADLINE_BUDGET_MS = 14_000;
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
  // The kit's settings on the bare side: the message limits on both ends and the client's deadline.
  const limits = {
    'grpc.max_receive_message_length': settings.GRPC_MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': settings.GRPC_MAX_MESSAGE_BYTES,
  };
  const bare = new Server(limits);
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
    limits,
  );
  const kitCall = (): Promise<unknown> => kitClient.Get({ id: '1' });
  const bareCall = (deadlineMs: number | null) => (): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const options = deadlineMs === null ? {} : { deadline: Date.now() + deadlineMs };
      bareClient.Get({ id: '1' }, new Metadata(), options, (error, item) =>
        error ? reject(error) : resolve(item),
      );
    });
  const bareWithDeadline = bareCall(settings.GRPC_CLIENT_DEADLINE_MS);
  const cpu = (since?: NodeJS.CpuUsage): NodeJS.CpuUsage => process.cpuUsage(since);
  const pairs = await pairedRounds(kitCall, bareWithDeadline, {
    count: COUNT,
    pairs: PAIRS,
    budgetMs: BUDGET_MS,
    cpu,
  });
  const deadline = sampled
    ? []
    : await pairedRounds(bareWithDeadline, bareCall(null), {
        count: COUNT,
        pairs: DEADLINE_PAIRS,
        budgetMs: DEADLINE_BUDGET_MS,
        warmupMs: 500, // both paths ran the pairs above
        cpu,
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
    ...(deadline.length === 0
      ? {}
      : { deadlineCostPct: round2(median(deadline.map(({ k, b }) => ((b.rps - k.rps) / b.rps) * 100))) }),
  };
}

/** The sampled figures, from this script run again in a child process. */
function measureSampledInChild(): Record<string, number> {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
    encoding: 'utf8',
    timeout: 90_000,
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
