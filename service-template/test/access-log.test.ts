import assert from 'node:assert/strict';
import { request as get } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import type { ServiceDefinition } from '../src/app.js';
import { startTelemetry, type Telemetry } from '../src/telemetry/index.js';
import { testApp } from './helpers.js';

/** Called when /slow's handler has started (the test's client then leaves). */
let slowStarted: () => void = () => undefined;

const service: ServiceDefinition = {
  topics: [],
  handle: async () => undefined,
  routes(app) {
    app.get('/things/:id', async () => ({ ok: true }));
    // A stream the client ends (server-sent events): headers first, then it stays open.
    app.get('/stream', (_request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
      reply.raw.write(': connected\n\n');
    });
    // Answers only after the client has gone.
    app.get('/slow', async (request) => {
      slowStarted();
      await new Promise((resolve) => request.raw.socket.once('close', resolve));
      return { late: true };
    });
  },
};

let telemetry: Telemetry | null = null;
function traced(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  telemetry = startTelemetry({ serviceName: 'svc', serviceVersion: '1', environment: 'test', exporter });
  return exporter;
}
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = null;
});

const accessLines = (logs: Record<string, unknown>[]) =>
  logs.filter((l) => l.msg === 'request completed' || l.msg === 'request aborted');

describe('access log, metrics and probes', () => {
  it('probes and /metrics: no span, no count, no access-log line by default', async () => {
    const exporter = traced();
    const { app, logs } = await testApp(service);
    for (const url of ['/livez', '/health', '/readyz', '/ready']) await app.inject({ url });
    const metrics = (await app.inject({ url: '/metrics' })).body;
    await app.inject({ url: '/things/1' });
    assert.deepEqual(
      exporter.getFinishedSpans().map((s) => s.name),
      ['GET /things/:id'],
    );
    assert.deepEqual(
      accessLines(logs).map((l) => l.route),
      ['/things/:id'],
    );
    assert.doesNotMatch(metrics, /route="\/(livez|health|readyz|ready|metrics)"/);
    assert.match(
      (await app.inject({ url: '/metrics' })).body,
      /http_requests_total\{method="GET",route="\/things\/:id",status_code="200"\} 1/,
    );
  });

  it('TELEMETRY_PROBES=on observes probes like any route', async () => {
    const exporter = traced();
    const { app, logs } = await testApp(service, [], { TELEMETRY_PROBES: 'on' });
    await app.inject({ url: '/livez' });
    assert.deepEqual(
      exporter.getFinishedSpans().map((s) => s.name),
      ['GET /livez'],
    );
    assert.deepEqual(
      accessLines(logs).map((l) => l.route),
      ['/livez'],
    );
    assert.match((await app.inject({ url: '/metrics' })).body, /http_requests_total\{[^}]*route="\/livez"/);
  });

  it('LOG_REQUESTS sets the level of the access-log line, or turns it off (metrics and spans stay)', async () => {
    const debug = await testApp(service, [], { LOG_REQUESTS: 'debug', LOG_LEVEL: 'debug' });
    await debug.app.inject({ url: '/things/1' });
    assert.deepEqual(
      accessLines(debug.logs).map((l) => l.level),
      ['debug'],
    );
    const exporter = traced();
    const off = await testApp(service, [], { LOG_REQUESTS: 'off' });
    await off.app.inject({ url: '/things/1' });
    assert.deepEqual(accessLines(off.logs), []);
    assert.equal(exporter.getFinishedSpans().length, 1);
    assert.match(
      (await off.app.inject({ url: '/metrics' })).body,
      /route="\/things\/:id",status_code="200"\} 1/,
    );
  });

  it('a client that goes away ends the span and writes one line: the status sent, or 499 before any', async () => {
    const exporter = traced();
    const { app, logs } = await testApp(service);
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      for (const path of ['/stream', '/slow']) {
        const req = get({ host: '127.0.0.1', port, path });
        req.on('error', () => undefined);
        // /stream: leave once the headers are in; /slow: leave while the handler still waits.
        if (path === '/stream') req.on('response', () => req.destroy());
        else slowStarted = () => req.destroy();
        req.end();
        for (let i = 0; i < 250 && !accessLines(logs).some((l) => l.route === path); i++) await sleep(20);
      }
      assert.deepEqual(
        accessLines(logs).map((l) => [l.msg, l.route, l.status_code]),
        [
          ['request aborted', '/stream', 200],
          ['request aborted', '/slow', 499],
        ],
      );
      assert.deepEqual(
        exporter.getFinishedSpans().map((s) => [s.name, s.attributes['http.response.status_code']]),
        [
          ['GET /stream', 200],
          ['GET /slow', 499],
        ],
      );
    } finally {
      await app.close();
    }
  });
});
