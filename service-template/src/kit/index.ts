// The service kit's parts this service was generated with (`foundation new service --with …`): started in
// this order before the server listens, handed to src/service.ts, stopped in reverse after HTTP drained.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { PartDeps, PartReadiness, StartedPart } from './part.js';
// kit:postgres
import { startPostgres } from './postgres/index.js';
// kit:end
// kit:redis
import { startRedis } from './redis/index.js';
// kit:end
// kit:http-client
import { startHttpClient } from './http-client/index.js';
// kit:end
// kit:auth
import { startAuth } from './auth/index.js';
// kit:end
// kit:grpc
import { startGrpc } from './grpc/index.js';
// kit:end

/** Each part's handle, by the name src/service.ts uses. */
export type Kit = Awaited<ReturnType<typeof startParts>>;

export interface StartedKit {
  readonly kit: Kit;
  /** The parts' readiness checks, joined to /readyz. */
  readonly readiness: readonly PartReadiness[];
  /** The parts' hooks on the HTTP app (auth), before the service's routes. */
  register(app: FastifyInstance): Promise<void>;
  /** Tell the parts that report readiness themselves (gRPC health) how the service is. */
  followReadiness(ready: () => Promise<boolean>): void;
  close(): Promise<void>;
}

async function startParts(config: Config, deps: PartDeps, started: StartedPart<unknown>[]) {
  const take = <H>(part: StartedPart<H>): H => {
    started.push(part as StartedPart<unknown>);
    return part.handle;
  };
  // kit:postgres
  const db = take(await startPostgres(config, deps));
  // kit:end
  // kit:redis
  const cache = take(await startRedis(config, deps));
  // kit:end
  // kit:http-client
  const httpClient = take(await startHttpClient(config, deps));
  // kit:end
  // kit:auth
  const auth = take(await startAuth(config, deps));
  // kit:end
  // kit:grpc
  const grpc = take(
    await startGrpc(config, deps, {
      // kit:auth
      verifyToken: (token: string) => auth.verify(token),
      // kit:end
    }),
  );
  // kit:end
  return {
    // kit:postgres
    db,
    // kit:end
    // kit:redis
    cache,
    // kit:end
    // kit:http-client
    httpClient,
    // kit:end
    // kit:auth
    auth,
    // kit:end
    // kit:grpc
    grpc,
    // kit:end
  };
}

async function closeAll(started: readonly StartedPart<unknown>[], deps: PartDeps): Promise<void> {
  for (const part of [...started].reverse()) {
    try {
      await part.close();
    } catch (error) {
      deps.logger.warn({ err: error }, 'a kit part did not close cleanly');
    }
  }
}

/** Start every part; when one fails, the ones already started are closed before the error goes on. */
export async function startKit(config: Config, deps: PartDeps): Promise<StartedKit> {
  const started: StartedPart<unknown>[] = [];
  let kit: Kit;
  try {
    kit = await startParts(config, deps, started);
  } catch (error) {
    await closeAll(started, deps);
    throw error;
  }
  return {
    kit,
    readiness: started.flatMap((part) => (part.readiness ? [part.readiness] : [])),
    async register(app) {
      for (const part of started) await part.register?.(app);
    },
    followReadiness(ready) {
      // kit:grpc
      kit.grpc.server.setReadiness(ready);
      // kit:end
    },
    close: () => closeAll(started, deps),
  };
}
