// Unary Get round trips at 16 in flight, through the kit (server interceptors, spans to a discarding
// exporter, metrics, one call log line to a discarding stream; the kit client with its deadline, span
// and context injection) and through bare grpc-js with the same proto — alternated, same process.
// Prints one JSON line: {"grpcRps","grpcP99Ms","bareGrpcRps","bareGrpcP99Ms","overheadPct"}.
import { Writable } from 'node:stream';
import { Server, ServerCredentials, credentials } from '@grpc/grpc-js';
import { z } from 'zod';
import { grpcSettings, loadItemsProto, startGrpc, unary } from '../../../src/kit/grpc/index.js';
import type { ItemServiceClient } from '../../../src/kit/grpc/generated/items/v1/ItemService.js';
import { createLogger, createRegistry, startTelemetry } from '../../../src/telemetry/index.js';

const CONCURRENCY = 16;
const CALLS = 5_000; // per round
const ROUNDS = 3;
const BUDGET_MS = 12_000; // the whole run stays under 20 s even on a loaded machine
const ITEM = { id: '1', name: 'kettle', quantity: 3 };

type Call = () => Promise<unknown>;

async function round(
  call: Call,
  calls: number,
  deadline: number,
): Promise<{ ms: number; latencies: number[] }> {
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (issued < calls && Date.now() < deadline) {
      issued += 1;
      const t = performance.now();
      await call();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { ms: performance.now() - started, latencies };
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
  const deadline = Date.now() + BUDGET_MS;
  for (const call of Object.values(calls)) await round(call, 1_000, deadline); // warm up both
  const results = { kit: { ms: 0, latencies: [] as number[] }, bare: { ms: 0, latencies: [] as number[] } };
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const name of r % 2 === 0 ? (['bare', 'kit'] as const) : (['kit', 'bare'] as const)) {
      const { ms, latencies } = await round(calls[name], CALLS, deadline);
      results[name].ms += ms;
      results[name].latencies.push(...latencies);
    }
  }
  const rps = (r: { ms: number; latencies: number[] }): number =>
    Math.round((r.latencies.length / r.ms) * 1_000);
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
    })}\n`,
  );
  bareClient.close();
  bare.forceShutdown();
  await kit.close();
  await telemetry.shutdown();
}

await main();
