import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import {
  ABORTED,
  CLIENT_CLOSED,
  COMPLETED,
  accessFields,
  requestAttributes,
  type HttpReplyLike,
  type HttpRequestLike,
} from './http-fields.js';
import { UNMATCHED_ROUTE, type HttpMetrics } from './metrics.js';

/** The access log's level: one line per request at `info` or `debug`, or none. */
export type RequestLogLevel = 'info' | 'debug' | 'off';

/** Probes and /metrics: by default neither traced, counted nor logged (they would drown the signal). */
export const QUIET_PATHS: readonly string[] = ['/livez', '/readyz', '/health', '/ready', '/metrics'];

type Done = () => void;

export interface HttpTelemetryOptions {
  /** RED metrics by route template; null: none. */
  readonly metrics: HttpMetrics | null;
  readonly logRequests?: RequestLogLevel;
  /** Route templates left alone (default QUIET_PATHS); [] observes every route. */
  readonly quietPaths?: readonly string[];
  /** Default: the global tracer provider's `http` tracer (a no-op one while tracing is off). */
  readonly tracer?: Tracer;
}

/** Hooks to add to a Fastify app: `app.addHook('onRequest', hooks.onRequest)` and so on, for all four. */
export interface HttpTelemetryHooks {
  onRequest(request: HttpRequestLike, reply: HttpReplyLike, done: Done): void;
  onError(request: HttpRequestLike, reply: HttpReplyLike, error: Error, done: Done): void;
  onResponse(request: HttpRequestLike, reply: HttpReplyLike, done: Done): void;
  /** The client went away before the response was complete (a closed stream, a cancelled call). */
  onRequestAbort(request: HttpRequestLike, done: Done): void;
}

interface InFlight {
  readonly span: Span;
  readonly route: string | undefined;
  readonly reply: HttpReplyLike;
  error?: Error;
}

/**
 * HTTP server telemetry from a few Fastify hooks, without patching node:http: one SERVER span per request
 * (W3C context from the headers, named `GET /things/:id` after the route template, attributes per the
 * stable HTTP semantic conventions, active for the handler so publishes and log lines join its trace),
 * RED metrics and one access-log line carrying the trace id, all observed as the response completes.
 */
export function httpTelemetry(options: HttpTelemetryOptions): HttpTelemetryHooks {
  const tracer = options.tracer ?? trace.getTracer('http');
  const quiet = new Set(options.quietPaths ?? QUIET_PATHS);
  const level = options.logRequests ?? 'info';
  const inFlight = new WeakMap<HttpRequestLike, InFlight>();

  const finish = (request: HttpRequestLike, aborted: boolean): void => {
    const state = inFlight.get(request);
    if (state === undefined) return;
    inFlight.delete(request);
    const { span, route, error, reply } = state;
    // Aborted: the status sent (a stream's 200), or 499 if the response never started.
    const status = aborted && !reply.raw.headersSent ? CLIENT_CLOSED : reply.statusCode;
    const ms = reply.elapsedTime;
    if (span.isRecording()) {
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) {
        span.setAttribute('error.type', error?.name ?? String(status));
        if (error) span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR, ...(error ? { message: error.message } : {}) });
      }
    }
    span.end();
    options.metrics?.observe(request.method, route, status, ms / 1_000);
    if (level === 'off') return;
    request.log[level](
      accessFields(request, route, status, ms, aborted, span),
      aborted ? ABORTED : COMPLETED,
    );
  };

  return {
    onRequest(request, reply, done) {
      const route = request.routeOptions.url;
      if (route !== undefined && quiet.has(route)) {
        done();
        return;
      }
      const parent = propagation.extract(ROOT_CONTEXT, request.headers);
      const span = tracer.startSpan(
        `${request.method} ${route ?? UNMATCHED_ROUTE}`,
        { kind: SpanKind.SERVER },
        parent,
      );
      if (span.isRecording()) span.setAttributes(requestAttributes(request, route));
      inFlight.set(request, { span, route, reply });
      // The rest of the request runs in this context: the handler, and what it publishes and logs (Fastify
      // keeps the async context across body parsing).
      context.with(trace.setSpan(parent, span), done);
    },

    onError(request, _reply, error, done) {
      const state = inFlight.get(request);
      if (state !== undefined) state.error = error;
      done();
    },

    onResponse(request, _reply, done) {
      finish(request, false);
      done();
    },

    onRequestAbort(request, done) {
      finish(request, true);
      done();
    },
  };
}
