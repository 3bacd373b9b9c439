// One HTTP request on the wire: a CLIENT span (OTel HTTP client conventions) whose context is injected into
// the headers as W3C traceparent, the response read whole before the attempt's deadline, one duration
// observation, and any failure classified (timeout, connect, reset…) before the policies see it.
import {
  SpanKind,
  SpanStatusCode,
  isSpanContextValid,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Tracer,
} from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { Deadlines } from './deadlines.js';
import { exchange } from './exchange.js';
import { classify } from './failure.js';
import type { HttpClientMetrics } from './metrics.js';
import { bufferedResponse, type HttpResponse } from './response.js';
import type { ResolvedTarget } from './target.js';

/** What stays the same across a call's attempts. */
export interface CallPlan {
  readonly target: ResolvedTarget;
  readonly method: Dispatcher.HttpMethod;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array | undefined;
  /** Each attempt's deadline: connecting, sending, the headers and the whole body. */
  readonly timeoutMs: number;
  /** The context active when the call was made: the spans' parent. */
  readonly parent: Context;
  readonly callerSignal: AbortSignal | undefined;
}

export interface AttemptDeps {
  readonly dispatcher: Dispatcher;
  /** The attempts' timeouts (one timer per timeout value, not one per attempt). */
  readonly deadlines: Deadlines;
  readonly tracer: Tracer;
  readonly metrics: HttpClientMetrics;
  readonly logger: Logger;
}

function startSpan(tracer: Tracer, plan: CallPlan, attempt: number) {
  const { target, method } = plan;
  const attributes: Attributes = {
    'http.request.method': method,
    'server.address': target.host,
    'server.port': target.port,
    'url.full': target.fullRedacted,
  };
  if (attempt > 0) attributes['http.request.resend_count'] = attempt;
  return tracer.startSpan(method, { kind: SpanKind.CLIENT, attributes }, plan.parent);
}

/** Attempt `attempt` (0 = first) of a call. */
export async function sendAttempt(deps: AttemptDeps, plan: CallPlan, attempt: number): Promise<HttpResponse> {
  const { target, method, callerSignal } = plan;
  if (callerSignal?.aborted) throw callerSignal.reason;
  if (attempt > 0) {
    deps.metrics.retries.inc({ method, server_address: target.host });
    deps.logger.debug({ method, url: target.display, attempt: attempt + 1 }, 'http-client retrying');
  }
  const span = startSpan(deps.tracer, plan, attempt);
  let headers = plan.headers;
  // Without a valid span context (tracing off, no caller trace) there is nothing to propagate.
  if (isSpanContextValid(span.spanContext())) {
    const carrier = { ...plan.headers };
    propagation.inject(trace.setSpan(plan.parent, span), carrier);
    headers = carrier;
  }
  const started = performance.now();
  const sent = exchange(
    deps.dispatcher,
    { origin: target.origin, path: target.path, method, headers, body: plan.body ?? null },
    { deadlines: deps.deadlines, timeoutMs: plan.timeoutMs, signal: callerSignal },
  );
  let status: number | undefined;
  try {
    const response = await sent.done;
    status = response.status;
    span.setAttribute('http.response.status_code', status);
    if (status >= 400) {
      span.setAttribute('error.type', String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    return bufferedResponse(status, response.headers, response.bytes, `${method} ${target.display}`);
  } catch (error) {
    const aborted = callerSignal?.aborted === true;
    const failure = aborted ? null : classify(error, sent.timedOut);
    const type = aborted
      ? 'aborted'
      : failure === null
        ? 'invalid_request'
        : failure.kind === 'timeout'
          ? 'timeout'
          : failure.code;
    // A status already received stays on the span (a body cut mid-way is still a failed attempt).
    if (sent.status !== undefined) span.setAttribute('http.response.status_code', sent.status);
    span.setAttribute('error.type', type);
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure?.message ?? type });
    status = undefined;
    if (aborted) throw (callerSignal as AbortSignal).reason;
    throw failure ?? error;
  } finally {
    span.end();
    deps.metrics.observe(method, target.host, status, (performance.now() - started) / 1_000);
  }
}
