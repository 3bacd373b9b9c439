// Loopback servers that answer, fail, hang and recover on command (node:http on 127.0.0.1, port 0), and a
// client started the way the service starts it, with its log lines and metrics in memory.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { MetricValueWithName, Registry } from '@prometheus-io/client';
import {
  startHttpClient,
  type HttpClient,
  type HttpClientSettings,
} from '../../../src/kit/http-client/index.js';
import { createLogger, createRegistry } from '../../../src/telemetry/index.js';
import { jsonLines } from '../../helpers.js';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface Hit {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly at: number;
  /** The same moment on the monotonic clock (performance.now()), which no clock adjustment moves. */
  readonly monoMs: number;
}

export interface Loopback {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly hits: Hit[];
  /** What the server does from now on. */
  behave(handler: Handler): void;
  close(): Promise<void>;
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };

/** Never answers. */
export const hang: Handler = () => undefined;

/** Sends the headers and the start of a body, then nothing more. */
export const hangBody: Handler = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
  response.write('{"partial":');
};

export async function loopback(handler: Handler): Promise<Loopback> {
  let current = handler;
  const hits: Hit[] = [];
  const server = createServer((request, response) => {
    hits.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      at: Date.now(),
      monoMs: performance.now(),
    });
    request.resume();
    request.on('end', () => current(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    behave(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Wait until `check` holds, or fail after `ms` saying what was awaited. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Small, fast settings for tests; override what a test is about. */
export const TEST_SETTINGS: HttpClientSettings = {
  HTTP_CLIENT_TIMEOUT_MS: 2_000,
  HTTP_CLIENT_MAX_ATTEMPTS: 3,
  HTTP_CLIENT_BACKOFF_BASE_MS: 5,
  HTTP_CLIENT_BACKOFF_CAP_MS: 50,
  HTTP_CLIENT_BREAKER_FAILURES: 100,
  HTTP_CLIENT_BREAKER_HALF_OPEN_MS: 10_000,
  HTTP_CLIENT_CONNECTIONS: 16,
  HTTP_CLIENT_MAX_RESPONSE_BYTES: 1024 * 1024,
};

export interface TestClient {
  readonly client: HttpClient;
  readonly registry: Registry;
  /** Every log line, as JSON. */
  readonly logs: string[];
  /** A metric's value for the given labels (0 when absent). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

export async function testClient(overrides: Partial<HttpClientSettings> = {}): Promise<TestClient> {
  const { raw: logs, destination } = jsonLines();
  const registry = createRegistry({ defaultMetrics: false });
  const logger = createLogger({ name: 'svc', level: 'debug', destination });
  const part = await startHttpClient(
    { ...TEST_SETTINGS, ...overrides },
    { serviceName: 'svc', logger, registry },
  );
  return {
    client: part.handle,
    registry,
    logs,
    async metric(name, labels = {}) {
      const metrics = await registry.getMetricsAsJSON();
      const values = metrics.flatMap((m) =>
        m.values.map((v) => ({ ...v, metricName: (v as MetricValueWithName<string>).metricName ?? m.name })),
      );
      const hit = values.find(
        (v) => v.metricName === name && Object.entries(labels).every(([k, value]) => v.labels[k] === value),
      );
      return hit?.value ?? 0;
    },
    close: () => part.close(),
  };
}
