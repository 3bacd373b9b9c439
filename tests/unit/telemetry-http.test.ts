import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import {
  createHttpMetrics,
  createRegistry,
  httpTelemetry,
  startTelemetry,
  type HttpRequestLike,
  type HttpTelemetryOptions,
  type Telemetry,
} from '../../lib/telemetry/index.js';

let telemetry: Telemetry | null = null;
function traced(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  telemetry = startTelemetry({ serviceName: 't', serviceVersion: '1', environment: 'test', exporter });
  return exporter;
}
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = null;
});

interface Line {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}
type Reply = { statusCode: number; elapsedTime: number; raw: { headersSent: boolean } };

/** A request as Fastify 5 hands it to hooks, logging into `lines`. */
function fakeRequest(route: string | undefined, url: string, lines: Line[], headers = {}): HttpRequestLike {
  const log = (level: string) => (fields: object, msg: string) =>
    lines.push({ level, msg, fields: fields as Record<string, unknown> });
  return {
    method: 'GET',
    url,
    headers: { 'user-agent': 'ua/1', host: 'svc.local:3000', ...headers },
    routeOptions: { url: route },
    protocol: 'http',
    log: { info: log('info'), debug: log('debug') },
  };
}

/** Fastify's order: onRequest (the rest runs inside its `done`), onError if thrown, onResponse. */
function serve(
  options: Partial<HttpTelemetryOptions>,
  route: string | undefined,
  url: string,
  outcome: { status: number; error?: Error; headers?: Record<string, string> } = { status: 200 },
) {
  const metrics = createHttpMetrics(createRegistry({ defaultMetrics: false }));
  const hooks = httpTelemetry({ metrics, ...options });
  const lines: Line[] = [];
  const request = fakeRequest(route, url, lines, outcome.headers);
  const reply: Reply = { statusCode: 200, elapsedTime: 12.345, raw: { headersSent: false } };
  let active: string | undefined;
  hooks.onRequest(request, reply, () => {
    active = trace.getActiveSpan()?.spanContext().spanId;
  });
  if (outcome.error) hooks.onError(request, reply, outcome.error, () => undefined);
  reply.statusCode = outcome.status;
  return { hooks, request, reply, lines, metrics, active };
}

describe('lib/telemetry httpTelemetry hooks', () => {
  it('one SERVER span named after the route template, with semantic-convention attributes, active for the rest of the request', () => {
    const exporter = traced();
    const { hooks, request, reply, lines, active } = serve({}, '/things/:id', '/things/7?x=1');
    hooks.onResponse(request, reply, () => undefined);
    const [span, more] = exporter.getFinishedSpans();
    assert.equal(more, undefined);
    assert.equal(span?.name, 'GET /things/:id');
    assert.equal(span?.kind, SpanKind.SERVER);
    assert.equal(active, span?.spanContext().spanId);
    assert.deepEqual(span?.attributes, {
      'http.request.method': 'GET',
      'url.path': '/things/7',
      'url.scheme': 'http',
      'server.address': 'svc.local',
      'server.port': 3000,
      'http.route': '/things/:id',
      'user_agent.original': 'ua/1',
      'http.response.status_code': 200,
    });
    assert.deepEqual(lines, [
      {
        level: 'info',
        msg: 'request completed',
        fields: {
          method: 'GET',
          route: '/things/:id',
          status_code: 200,
          duration_ms: 12.35,
          trace_id: span?.spanContext().traceId,
          span_id: span?.spanContext().spanId,
        },
      },
    ]);
  });

  it('takes its parent from a W3C traceparent header', () => {
    const exporter = traced();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const { hooks, request, reply } = serve({}, '/a', '/a', { status: 200, headers: { traceparent } });
    hooks.onResponse(request, reply, () => undefined);
    const span = exporter.getFinishedSpans()[0];
    assert.equal(span?.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(span?.parentSpanContext?.spanId, 'b7ad6b7169203331');
  });

  it('records a 5xx as an error (the exception when there is one); a 4xx is not a span error', () => {
    const exporter = traced();
    for (const [status, error] of [
      [500, new TypeError('bad')],
      [503, undefined],
      [404, new Error('not here')],
    ] as const) {
      const { hooks, request, reply } = serve({}, '/a', '/a', { status, ...(error ? { error } : {}) });
      hooks.onResponse(request, reply, () => undefined);
    }
    assert.deepEqual(
      exporter
        .getFinishedSpans()
        .map((s) => [s.status.code, s.attributes['error.type'], s.events.map((e) => e.name).join()]),
      [
        [SpanStatusCode.ERROR, 'TypeError', 'exception'],
        [SpanStatusCode.ERROR, '503', ''],
        [SpanStatusCode.UNSET, undefined, ''],
      ],
    );
  });

  it('observes RED metrics by route template; an unknown path is "unmatched"', async () => {
    traced();
    const { hooks, request, reply, metrics } = serve({}, undefined, '/wp-admin', { status: 404 });
    hooks.onResponse(request, reply, () => undefined);
    const text = await metrics.registry.metrics();
    assert.match(text, /http_requests_total\{method="GET",route="unmatched",status_code="404"\} 1/);
    assert.match(text, /http_request_duration_seconds_bucket\{le="0.025",[^}]*route="unmatched"[^}]*\} 1/);
  });

  it('leaves probes and /metrics alone by default (no span, metric or access log); quietPaths [] observes them', async () => {
    const exporter = traced();
    const quiet = serve({}, '/livez', '/livez');
    quiet.hooks.onResponse(quiet.request, quiet.reply, () => undefined);
    assert.deepEqual(quiet.lines, []);
    assert.equal(exporter.getFinishedSpans().length, 0);
    assert.doesNotMatch(await quiet.metrics.registry.metrics(), /route="\/livez"/);
    const loud = serve({ quietPaths: [] }, '/livez', '/livez');
    loud.hooks.onResponse(loud.request, loud.reply, () => undefined);
    assert.equal(loud.lines.length, 1);
    assert.equal(exporter.getFinishedSpans()[0]?.name, 'GET /livez');
  });

  it('writes the access-log line at the level asked, or not at all', () => {
    const debug = serve({ logRequests: 'debug' }, '/a', '/a');
    debug.hooks.onResponse(debug.request, debug.reply, () => undefined);
    assert.deepEqual(
      debug.lines.map((l) => l.level),
      ['debug'],
    );
    const off = serve({ logRequests: 'off' }, '/a', '/a');
    off.hooks.onResponse(off.request, off.reply, () => undefined);
    assert.deepEqual(off.lines, []);
  });

  it('a client gone before the response started: 499, "request aborted", and only once', () => {
    const exporter = traced();
    const { hooks, request, reply, lines } = serve({}, '/a', '/a');
    hooks.onRequestAbort(request, () => undefined);
    hooks.onResponse(request, reply, () => undefined); // a late 'finish' changes nothing
    assert.deepEqual(
      lines.map((l) => [l.msg, l.fields.status_code, l.fields.aborted]),
      [['request aborted', 499, true]],
    );
    assert.equal(exporter.getFinishedSpans()[0]?.attributes['http.response.status_code'], 499);
  });

  it('without tracing: no trace ids in the line, metrics still observed', async () => {
    const { hooks, request, reply, lines, metrics } = serve({}, '/a', '/a');
    hooks.onResponse(request, reply, () => undefined);
    assert.equal(lines[0]?.fields.trace_id, undefined);
    assert.match(await metrics.registry.metrics(), /route="\/a",status_code="200"\} 1/);
  });
});
