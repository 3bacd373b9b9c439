import { createServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp, type ReadinessCheck, type ServiceDefinition } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
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
    ...env,
  });
}
