// Unary Get round trips at 16 in flight, through the kit (server interceptors, spans to a discarding
// exporter, metrics, one call log line to a discarding stream; the kit client with its deadline, span
// and context injection) and through bare grpc-js with the same proto — alternated, same process.
// Prints one JSON line: {"grpcRps","grpcP99Ms","bareGrpcRps","bareGrpcP99Ms","overheadPct",
// "grpcCpuUsPerCall","bareGrpcCpuUsPerCall"}.
import { Writable } from 'node:stream';
import { Server, ServerCredentials, credentials } from '@grpc/grpc-js';
import { z } from 'zod';
import { grpcSettings, loadItemsProto, startGrpc, unary } from '../../../src/kit/grpc/index.js';
import type { ItemServiceClient } from '../../../src/kit/grpc/generated/items/v1/ItemService.js';
import { createLogger, createRegistry, startTelemetry } from '../../../src/telemetry/index.js';

const CONCURRENCY = 16;
const CALLS = 5_000; // per round
const ROUNDS = 3;
const SLICE_MS = 1_500; // the most one round may take: 2 warm-ups + 6 rounds stay under 20 s
const ITEM = { id: '1', name: 'kettle', quantity: 3 };

type Call = () => Promise<unknown>;

interface Round {
  ms: number;
  /** Process CPU (both sides: client and server run here), microseconds. */
  cpuUs: number;
  latencies: number[];
}

async function round(call: Call, calls: number): Promise<Round> {
  const deadline = Date.now() + SLICE_MS;
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const worker = async (): Promise<void> => {
    while (issued < calls && Date.now() < deadline) {
      issued += 1;
      const t = performance.now();
      await call();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuUs: used.user + used.system, latencies };
}

const p99 = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
};

async function main(): Promise<void> {
  const telemetry = startTelemetry({
    serviceName: 'bench',
    serviceVersion: '1',
    environment: 'bench',
    exporter: { export: (_spans, done) => done({ code: 0 }), shutdown: () => Promise.resolve() },
  });
  const proto = await loadItemsProto();
  const ItemService = proto.items.v1.ItemService;
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const settings = z.object(grpcSettings).parse({ GRPC_PORT: '0', GRPC_HOST: '127.0.0.1' });
  const kit = await startGrpc(settings, {
    serviceName: 'bench',
    logger: createLogger({ name: 'bench', destination: discard }),
    registry: createRegistry({ defaultMetrics: false }),
  });
  const handlers = { Get: unary(async () => ITEM), Create: unary(async () => ITEM) };
  kit.handle.server.addService(ItemService.service, handlers);
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

  const calls: Record<'kit' | 'bare', Call> = {
    kit: () => kitClient.Get({ id: '1' }),
    bare: () =>
      new Promise((resolve, reject) => {
        bareClient.Get({ id: '1' }, (error, item) => (error ? reject(error) : resolve(item)));
      }),
  };
  for (const call of Object.values(calls)) await round(call, 1_000); // warm up both
  const results: Record<'kit' | 'bare', Round> = {
    kit: { ms: 0, cpuUs: 0, latencies: [] },
    bare: { ms: 0, cpuUs: 0, latencies: [] },
  };
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const name of r % 2 === 0 ? (['bare', 'kit'] as const) : (['kit', 'bare'] as const)) {
      const { ms, cpuUs, latencies } = await round(calls[name], CALLS);
      results[name].ms += ms;
      results[name].cpuUs += cpuUs;
      results[name].latencies.push(...latencies);
    }
  }
  const rps = (r: Round): number => Math.round((r.latencies.length / r.ms) * 1_000);
  const cpuPerCall = (r: Round): number => Math.round(r.cpuUs / Math.max(1, r.latencies.length));
  const grpcRps = rps(results.kit);
  const bareGrpcRps = rps(results.bare);
  const round2 = (n: number): number => Math.round(n * 100) / 100;
  process.stdout.write(
    `${JSON.stringify({
      grpcRps,
      grpcP99Ms: round2(p99(results.kit.latencies)),
      bareGrpcRps,
      bareGrpcP99Ms: round2(p99(results.bare.latencies)),
      overheadPct: round2(((bareGrpcRps - grpcRps) / bareGrpcRps) * 100),
      // CPU per call (client + server) is steadier than throughput on a shared machine.
      grpcCpuUsPerCall: cpuPerCall(results.kit),
      bareGrpcCpuUsPerCall: cpuPerCall(results.bare),
    })}\n`,
  );
  bareClient.close();
  bare.forceShutdown();
  await kit.close();
  await telemetry.shutdown();
}

await main();
