import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { AppError } from '../../../src/errors.js';
import { startTelemetry, type Telemetry } from '../../../src/telemetry/index.js';
import { hang, json, loopback, testClient, type Loopback, type TestClient } from './harness.js';

let server: Loopback | null = null;
let kit: TestClient | null = null;
let telemetry: Telemetry | null = null;
afterEach(async () => {
  await kit?.close();
  await server?.close();
  await telemetry?.shutdown();
  kit = null;
  server = null;
  telemetry = null;
});

function traced(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  telemetry = startTelemetry({ serviceName: 'svc', serviceVersion: '1', environment: 'test', exporter });
  return exporter;
}

const clientSpans = (exporter: InMemorySpanExporter): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);

describe('http-client tracing', () => {
  it('one CLIENT span per request with the HTTP client conventions, child of the active span; its context arrives as traceparent', async () => {
    const exporter = traced();
    server = await loopback(json(200, { ok: true }));
    kit = await testClient();
    const { client } = kit;
    const url = `${server.origin}/orders/7?page=2`;
    const parent = trace.getTracer('test').startSpan('GET /things');
    await context.with(trace.setSpan(context.active(), parent), () => client.getJson(url));
    parent.end();
    const [span] = clientSpans(exporter);
    assert.ok(span);
    assert.equal(span.name, 'GET');
    assert.deepEqual(span.attributes, {
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(server.origin).port),
      'url.full': url,
      'http.response.status_code': 200,
    });
    assert.equal(span.parentSpanContext?.spanId, parent.spanContext().spanId);
    const ids = span.spanContext();
    assert.equal(ids.traceId, parent.spanContext().traceId);
    assert.equal(server.hits[0]?.headers.traceparent, `00-${ids.traceId}-${ids.spanId}-01`);
  });

  it('each attempt is its own span (resend count, error.type), each with its own traceparent', async () => {
    const exporter = traced();
    server = await loopback(json(503, {}));
    kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 2 });
    await assert.rejects(kit.client.getJson(`${server.origin}/x`), AppError);
    const spans = clientSpans(exporter);
    assert.equal(spans.length, 2);
    assert.deepEqual(
      spans.map((s) => [
        s.attributes['http.request.resend_count'],
        s.attributes['error.type'],
        s.status.code,
      ]),
      [
        [undefined, '503', SpanStatusCode.ERROR],
        [1, '503', SpanStatusCode.ERROR],
      ],
    );
    assert.deepEqual(
      server.hits.map((hit) => String(hit.headers.traceparent).split('-')[2]),
      spans.map((s) => s.spanContext().spanId),
    );
  });

  it('a timed-out attempt: error.type timeout, no status code', async () => {
    const exporter = traced();
    server = await loopback(hang);
    kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 1 });
    await assert.rejects(kit.client.request(`${server.origin}/slow`, { timeoutMs: 50 }), AppError);
    const [span] = clientSpans(exporter);
    assert.equal(span?.attributes['error.type'], 'timeout');
    assert.equal(span.attributes['http.response.status_code'], undefined);
  });
});

describe('http-client secrets', () => {
  it('credentials in a URL become an Authorization header and never reach spans, errors, logs or metrics; secret query values are redacted', async () => {
    const exporter = traced();
    server = await loopback(json(503, { error: 'down' }));
    kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 2 });
    const port = new URL(server.origin).port;
    const url = `http://svc-user:s3cr3t-pass@127.0.0.1:${port}/reports?token=tok-123&page=2&api_key=key-456`;
    const error = await kit.client.request(url).then(
      () => assert.fail('expected UPSTREAM'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof AppError && error.code === 'UPSTREAM');
    const hit = server.hits[0];
    assert.equal(
      hit?.headers.authorization,
      `Basic ${Buffer.from('svc-user:s3cr3t-pass').toString('base64')}`,
    );
    assert.equal(hit.url, '/reports?token=tok-123&page=2&api_key=key-456', 'the query is sent as given');

    const [span] = clientSpans(exporter);
    assert.equal(
      span?.attributes['url.full'],
      `http://REDACTED:REDACTED@127.0.0.1:${port}/reports?token=REDACTED&page=2&api_key=REDACTED`,
    );
    const everything = [
      JSON.stringify(exporter.getFinishedSpans().map((s) => [s.name, s.attributes, s.status, s.events])),
      error.message,
      JSON.stringify(error.details),
      error.stack ?? '',
      kit.logs.join('\n'),
      await kit.registry.metrics(),
    ].join('\n');
    for (const secret of [
      'svc-user',
      's3cr3t-pass',
      'tok-123',
      'key-456',
      Buffer.from('svc-user:s3cr3t-pass').toString('base64'),
    ]) {
      assert.ok(!everything.includes(secret), `${secret} leaked`);
    }
    assert.ok(
      kit.logs.some((line) => line.includes('http-client call failed')),
      'the failure was logged',
    );
  });

  it('an invalid URL fails without echoing it', async () => {
    kit = await testClient();
    await assert.rejects(kit.client.request('not a url with s3cr3t'), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.ok(!JSON.stringify({ ...error, message: error.message }).includes('s3cr3t'));
      return true;
    });
  });
});
