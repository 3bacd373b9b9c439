import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import type { ServiceDefinition } from '../src/app.js';
import { ConfigError } from '../src/config.js';
import { AppError } from '../src/errors.js';
import { injectContext, startTelemetry, type Telemetry } from '../src/telemetry/index.js';
import { testApp, testConfig } from './helpers.js';

/** Called once the server has a request's headers (before its body). */
let headersIn: () => void = () => undefined;

/** Routes that show what the handler sees: the active span, and the headers a publish would carry. */
const service: ServiceDefinition = {
  topics: [],
  handle: async () => undefined,
  routes(app) {
    app.addHook('onRequest', (_request, _reply, done) => {
      headersIn();
      done();
    });
    app.get('/things/:id', async (request) => {
      const { id } = request.params as { id: string };
      if (id === 'boom') throw new Error('it broke');
      if (id === 'missing') throw new AppError('NOT_FOUND', 'no such thing');
      return { active: trace.getActiveSpan()?.spanContext().spanId ?? null };
    });
    const body = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
    app.post('/things', { schema: { body } }, async (request, reply) => {
      request.log.info('handling');
      return reply.status(201).send({ headers: injectContext() });
    });
  },
};

let telemetry: Telemetry | null = null;
/** Tracing into memory (each span as it ends), sampling `ratio` of new traces. */
function traced(ratio = 1): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  telemetry = startTelemetry({
    serviceName: 'svc',
    serviceVersion: '1',
    environment: 'test',
    exporter,
    sampleRatio: ratio,
  });
  return exporter;
}
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = null;
});

const only = (spans: ReadableSpan[]): ReadableSpan => {
  assert.equal(spans.length, 1, `one span, not ${JSON.stringify(spans.map((s) => s.name))}`);
  return spans[0] as ReadableSpan;
};
const CALLER = '0af7651916cd43dd8448eb211c80319c';
const traceparent = (flags: '00' | '01') => `00-${CALLER}-b7ad6b7169203331-${flags}`;

describe('request spans', () => {
  it('one SERVER span per request, named after the route template, with HTTP semantic-convention attributes, active in the handler', async () => {
    const exporter = traced();
    const { app, logs } = await testApp(service);
    const res = await app.inject({
      url: '/things/42?verbose=1',
      headers: { host: 'svc.local:8080', 'user-agent': 'probe/1' },
    });
    const span = only(exporter.getFinishedSpans());
    assert.equal(span.name, 'GET /things/:id');
    assert.equal(span.kind, SpanKind.SERVER);
    assert.deepEqual(span.attributes, {
      'http.request.method': 'GET',
      'url.path': '/things/42',
      'url.scheme': 'http',
      'server.address': 'svc.local',
      'server.port': 8080,
      'http.route': '/things/:id',
      'user_agent.original': 'probe/1',
      'http.response.status_code': 200,
    });
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    assert.deepEqual(res.json(), { active: span.spanContext().spanId });
    const access = logs.filter((l) => l.msg === 'request completed');
    assert.equal(access.length, 1, 'one access-log line');
    assert.deepEqual(
      [access[0]?.level, access[0]?.route, access[0]?.status_code, access[0]?.trace_id, access[0]?.span_id],
      ['info', '/things/:id', 200, span.spanContext().traceId, span.spanContext().spanId],
    );
  });

  it('stays active after a body is read from the socket: a publish carries it, log lines carry its trace id', async () => {
    const exporter = traced();
    const { app, logs } = await testApp(service);
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      // The body is sent only once the server has seen the headers: it then arrives in the socket's own
      // callbacks, outside the context the request's first hook entered.
      const body = JSON.stringify({ name: 'a' });
      const address = app.server.address();
      const req = request({
        host: '127.0.0.1',
        port: typeof address === 'object' && address ? address.port : 0,
        method: 'POST',
        path: '/things',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      headersIn = () => req.end(body);
      req.flushHeaders();
      const res = await new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
      const text = await res.toArray().then((chunks) => Buffer.concat(chunks as Buffer[]).toString());
      assert.equal(res.statusCode, 201, text);
      const { traceId, spanId } = only(exporter.getFinishedSpans()).spanContext();
      const sent = JSON.parse(text) as { headers: { traceparent?: string } };
      assert.equal(sent.headers.traceparent, `00-${traceId}-${spanId}-01`);
      assert.equal(logs.find((l) => l.msg === 'handling')?.trace_id, traceId);
    } finally {
      headersIn = () => undefined;
      await app.close();
    }
  });

  it("continues the caller's trace from a W3C traceparent header", async () => {
    const exporter = traced();
    const { app, logs } = await testApp(service);
    await app.inject({ url: '/things/1', headers: { traceparent: traceparent('01') } });
    const span = only(exporter.getFinishedSpans());
    assert.equal(span.spanContext().traceId, CALLER);
    assert.equal(span.parentSpanContext?.spanId, 'b7ad6b7169203331');
    assert.equal(logs.find((l) => l.msg === 'request completed')?.trace_id, CALLER);
  });

  it('a 5xx is a span error (status, exception, error.type); a 4xx is not; an unknown path is "unmatched"', async () => {
    const exporter = traced();
    const { app } = await testApp(service);
    assert.equal((await app.inject({ url: '/things/boom' })).statusCode, 500);
    const failed = only(exporter.getFinishedSpans());
    assert.equal(failed.status.code, SpanStatusCode.ERROR);
    assert.equal(failed.attributes['error.type'], 'Error');
    assert.deepEqual(
      failed.events.map((e) => [e.name, e.attributes?.['exception.message']]),
      [['exception', 'it broke']],
    );
    exporter.reset();
    await app.inject({ url: '/things/missing' });
    await app.inject({ method: 'POST', url: '/things', payload: { name: 7 } });
    await app.inject({ url: '/nowhere' });
    const spans = exporter.getFinishedSpans();
    assert.deepEqual(
      spans.map((s) => [s.name, s.attributes['http.response.status_code'], s.status.code, s.events.length]),
      [
        ['GET /things/:id', 404, SpanStatusCode.UNSET, 0],
        ['POST /things', 400, SpanStatusCode.UNSET, 0],
        ['GET unmatched', 404, SpanStatusCode.UNSET, 0],
      ],
    );
    assert.ok(spans.every((s) => s.attributes['error.type'] === undefined));
    assert.equal(spans[2]?.attributes['http.route'], undefined);
  });
});

describe('sampling (parent-based, by ratio)', () => {
  it('at ratio 0 records no new trace, yet follows a caller that sampled, and logs the trace id either way', async () => {
    const exporter = traced(0);
    const { app, logs } = await testApp(service);
    await app.inject({ url: '/things/1' });
    assert.equal(exporter.getFinishedSpans().length, 0);
    assert.match(String(logs.find((l) => l.msg === 'request completed')?.trace_id), /^[0-9a-f]{32}$/);
    await app.inject({ url: '/things/2', headers: { traceparent: traceparent('01') } });
    assert.equal(only(exporter.getFinishedSpans()).spanContext().traceId, CALLER);
  });

  it('reads the ratio from OTEL_TRACES_SAMPLER_ARG (0-1) and refuses another sampler', () => {
    assert.equal(testConfig().OTEL_TRACES_SAMPLER_ARG, 1);
    assert.equal(testConfig({ OTEL_TRACES_SAMPLER_ARG: '0.25' }).OTEL_TRACES_SAMPLER_ARG, 0.25);
    for (const env of [{ OTEL_TRACES_SAMPLER_ARG: '1.5' }, { OTEL_TRACES_SAMPLER: 'always_on' }])
      assert.throws(
        () => testConfig(env),
        (e: unknown) => e instanceof ConfigError && e.message.includes(Object.keys(env)[0] ?? '?'),
      );
  });

  it('at ratio 1 still follows a caller that did not sample', async () => {
    const exporter = traced(1);
    const { app } = await testApp(service);
    await app.inject({ url: '/things/1', headers: { traceparent: traceparent('00') } });
    assert.equal(exporter.getFinishedSpans().length, 0);
  });
});
