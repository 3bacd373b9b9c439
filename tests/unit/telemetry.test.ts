import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  createHttpMetrics,
  createLogger,
  createRegistry,
  extractContext,
  injectContext,
  startTelemetry,
  tracer,
  withSpan,
} from '../../lib/telemetry/index.js';
import { CollectingExporter } from '../helpers/spans.js';
import { logSink as sink } from '../helpers/log-sink.js';

describe('lib/telemetry logger', () => {
  it('writes JSON with level and service, masks secrets and auth/cookie headers', () => {
    const { lines, stream } = sink();
    const log = createLogger({ name: 'svc', secrets: ['hunter2-very-secret'], destination: stream });
    log.info(
      { req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', accept: 'x' } } },
      'password is hunter2-very-secret',
    );
    const [line] = lines;
    assert.equal(line?.level, 'info');
    assert.equal(line?.service, 'svc');
    assert.equal(line?.msg, 'password is ***');
    assert.deepEqual((line?.req as { headers: unknown }).headers, {
      authorization: '[redacted]',
      cookie: '[redacted]',
      accept: 'x',
    });
  });

  it('carries trace_id and span_id of the active span, and none outside one', async () => {
    const exporter = new CollectingExporter();
    const telemetry = startTelemetry({
      serviceName: 't',
      serviceVersion: '1',
      environment: 'test',
      exporter,
    });
    const { lines, stream } = sink();
    const log = createLogger({ name: 't', destination: stream });
    let ids = { traceId: '', spanId: '' };
    await withSpan(tracer('t'), 'work', {}, (span) => {
      ids = span.spanContext();
      log.info('inside');
      return Promise.resolve();
    });
    log.info('outside');
    await telemetry.shutdown();
    assert.equal(lines[0]?.trace_id, ids.traceId);
    assert.equal(lines[0]?.span_id, ids.spanId);
    assert.equal(lines[1]?.trace_id, undefined);
  });
});

describe('lib/telemetry metrics', () => {
  it('exports RED metrics by route template, never by raw URL', async () => {
    const registry = createRegistry({ defaultMetrics: false });
    const http = createHttpMetrics(registry);
    http.observe('GET', '/events/:id', 200, 0.012);
    http.observe('GET', undefined, 404, 0.001);
    const text = await registry.metrics();
    assert.match(text, /http_requests_total\{method="GET",route="\/events\/:id",status_code="200"\} 1/);
    assert.match(text, /http_requests_total\{method="GET",route="unmatched",status_code="404"\} 1/);
    assert.match(
      text,
      /http_request_duration_seconds_bucket\{le="0.025",method="GET",route="\/events\/:id",status_code="200"\} 1/,
    );
  });

  it('counts requests from the histogram at each scrape: repeated scrapes never add up twice', async () => {
    const registry = createRegistry({ defaultMetrics: false });
    const http = createHttpMetrics(registry);
    const total = async (): Promise<string | undefined> =>
      /http_requests_total\{method="POST",route="\/events",status_code="202"\} (\d+)/.exec(
        await registry.metrics(),
      )?.[1];
    http.observe('POST', '/events', 202, 0.01);
    http.observe('POST', '/events', 202, 0.02);
    assert.equal(await total(), '2');
    assert.equal(await total(), '2');
    http.observe('POST', '/events', 202, 0.03);
    assert.equal(await total(), '3');
  });

  it('includes the default process metrics unless turned off', async () => {
    assert.match(await createRegistry().metrics(), /process_cpu_seconds_total/);
    assert.doesNotMatch(await createRegistry({ defaultMetrics: false }).metrics(), /process_cpu/);
  });
});

describe('lib/telemetry tracing', () => {
  it('is a no-op without an endpoint', async () => {
    const telemetry = startTelemetry({ serviceName: 't', serviceVersion: '1', environment: 'test' });
    assert.equal(telemetry.enabled, false);
    assert.equal(await telemetry.shutdown(), null);
  });

  it('says why the last spans were not delivered instead of rejecting, and releases the global API', async () => {
    let posts = 0;
    // A collector that refuses every export (400: not retried, so no backoff to wait out).
    const collector = createServer((req, res) => {
      posts += 1;
      req.resume();
      res.writeHead(400).end();
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = collector.address() as AddressInfo;
      const telemetry = startTelemetry({
        serviceName: 't',
        serviceVersion: '1',
        environment: 'test',
        otlpEndpoint: `http://127.0.0.1:${String(port)}/`,
      });
      tracer('t').startSpan('lost').end();
      const lost = await telemetry.shutdown();
      assert.equal(typeof lost, 'string');
      assert.ok((lost ?? '').length > 0);
      assert.equal(posts, 1);
      assert.equal(trace.getTracer('t').startSpan('after').isRecording(), false);
    } finally {
      collector.close();
    }
  });

  it('records errors on the span, carries context through headers, and sets the resource', async () => {
    const exporter = new CollectingExporter();
    const telemetry = startTelemetry({
      serviceName: 'svc',
      serviceVersion: '1.2.3',
      environment: 'test',
      exporter,
    });
    const t = tracer('t');
    let headers: Record<string, string> = {};
    await withSpan(t, 'produce', { kind: SpanKind.PRODUCER }, () => {
      headers = injectContext();
      return Promise.resolve();
    });
    await withSpan(
      t,
      'consume',
      { kind: SpanKind.CONSUMER },
      () => Promise.resolve(),
      extractContext({ ...headers }),
    );
    await assert.rejects(
      withSpan(t, 'fails', {}, () => Promise.reject(new Error('nope'))),
      /nope/,
    );
    await telemetry.shutdown();
    const [produce, consume, fails] = exporter.spans;
    assert.match(headers.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.equal(consume?.spanContext().traceId, produce?.spanContext().traceId);
    assert.equal(consume?.parentSpanContext?.spanId, produce?.spanContext().spanId);
    assert.equal(fails?.status.code, SpanStatusCode.ERROR);
    assert.equal(fails?.events[0]?.name, 'exception');
    assert.deepEqual(
      [
        produce?.resource.attributes['service.name'],
        produce?.resource.attributes['service.version'],
        produce?.resource.attributes['deployment.environment'],
      ],
      ['svc', '1.2.3', 'test'],
    );
  });

  it('samples parent-based by ratio: at 0 no new trace is recorded, a sampled caller is followed', async () => {
    const exporter = new CollectingExporter();
    const telemetry = startTelemetry({
      serviceName: 't',
      serviceVersion: '1',
      environment: 'test',
      exporter,
      sampleRatio: 0,
    });
    const t = tracer('t');
    await withSpan(t, 'new trace', {}, () => Promise.resolve());
    const caller = extractContext({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    await withSpan(t, 'continued', {}, () => Promise.resolve(), caller);
    await telemetry.shutdown();
    assert.deepEqual(
      exporter.spans.map((s) => s.name),
      ['continued'],
    );
  });
});
