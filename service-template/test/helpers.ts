import { createServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp, type ReadinessCheck, type ServiceDefinition } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
// kit:any
import type { Kit } from '../src/kit/index.js';
// kit:end
import { createHttpMetrics, createLogger, createRegistry } from '../src/telemetry/index.js';

/**
 * A log destination that keeps each line written to it: parsed in `logs` (give an array to fill one the
 * caller already holds) and as written in `raw`.
 */
export function jsonLines(logs: Record<string, unknown>[] = []): {
  logs: Record<string, unknown>[];
  raw: string[];
  destination: Writable;
} {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString());
      logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logs, raw, destination };
}

/** A loopback port nothing listens on (one the system just gave out and took back). */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly state: { ready: boolean };
  readonly logs: Record<string, unknown>[];
}

/** The app with an in-memory log, the given service and readiness checks, and settings from `env`. */
export async function testApp(
  service: ServiceDefinition,
  readiness: ReadinessCheck[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<TestApp> {
  const { logs, destination } = jsonLines();
  const config = testConfig({ BODY_LIMIT_BYTES: '2048', ...env });
  const registry = createRegistry({ defaultMetrics: false });
  const { app, state } = await buildApp({
    config,
    logger: createLogger({ name: config.SERVICE_NAME, level: config.LOG_LEVEL, destination }),
    registry,
    http: createHttpMetrics(registry),
    readiness,
    service,
  });
  return { app, state, logs };
}

/** The configuration from `env`; the settings the kit's parts require get values no test connects to. */
export function testConfig(env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({
    // kit:postgres
    DATABASE_URL: 'postgres://test@127.0.0.1:9/test',
    // kit:end
    // kit:redis
    REDIS_URL: 'redis://127.0.0.1:9',
    // kit:end
    // kit:auth
    AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks',
    AUTH_ISSUER: 'https://issuer.test',
    AUTH_AUDIENCE: 'test',
    // kit:end
    ...env,
  });
}
// kit:any

/** The kit's handles for a test that does not use them: touching one fails, naming it. */
export function unusedKit(): Kit {
  const unused = (name: string): never =>
    new Proxy(
      {},
      {
        get(_, key) {
          throw new Error(`${name}.${String(key)}: the kit part is not started in this test`);
        },
      },
    ) as never;
  return {
    // kit:postgres
    db: unused('db'),
    // kit:end
    // kit:redis
    cache: unused('cache'),
    // kit:end
    // kit:http-client
    httpClient: unused('httpClient'),
    // kit:end
    // kit:auth
    auth: unused('auth'),
    // kit:end
    // kit:grpc
    grpc: unused('grpc'),
    // kit:end
  };
}
// kit:end
