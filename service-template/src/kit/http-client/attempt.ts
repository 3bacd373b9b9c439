// One HTTP request on the wire: a CLIENT span (OTel HTTP client conventions) whose context is injected into
// the headers as W3C traceparent, the response read whole under the attempt's signal, one duration
// observation, and any failure classified (timeout, connect, reset…) before the policies see it.
import { SpanKind, SpanStatusCode, propagation, trace, type Context, type Tracer } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import type { Logger } from 'pino';
import { classify } from './failure.js';
import { statusClass, type HttpClientMetrics } from './metrics.js';
import { bufferedResponse, type HttpResponse } from './response.js';
import type { ResolvedTarget } from './target.js';

/** What stays the same across a call's attempts. */
export interface CallPlan {
  readonly target: ResolvedTarget;
  readonly method: Dispatcher.HttpMethod;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array | undefined;
  /** The context active when the call was made: the spans' parent. */
  readonly parent: Context;
  readonly callerSignal: AbortSignal | undefined;
}

export interface AttemptDeps {
  readonly dispatcher: Dispatcher;
  readonly tracer: Tracer;
  readonly metrics: HttpClientMetrics;
  readonly logger: Logger;
}

/** Attempt `attempt` (0 = first) of a call; `signal` aborts on the attempt's timeout or the caller's abort. */
export async function sendAttempt(
  deps: AttemptDeps,
  plan: CallPlan,
  attempt: number,
  signal: AbortSignal,
): Promise<HttpResponse> {
  const { target, method } = plan;
  if (plan.callerSignal?.aborted) throw plan.callerSignal.reason;
  if (attempt > 0) {
    deps.metrics.retries.inc({ method, server_address: target.host });
    deps.logger.debug({ method, url: target.display, attempt: attempt + 1 }, 'http-client retrying');
  }
  const span = deps.tracer.startSpan(
    method,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'server.address': target.host,
        'server.port': target.port,
        'url.full': target.fullRedacted,
        ...(attempt > 0 ? { 'http.request.resend_count': attempt } : {}),
      },
    },
    plan.parent,
  );
  const headers: Record<string, string> = { ...plan.headers };
  propagation.inject(trace.setSpan(plan.parent, span), headers);
  const started = performance.now();
  let status: number | undefined;
  try {
    const response = await deps.dispatcher.request({
      origin: target.origin,
      path: target.path,
      method,
      headers,
      body: plan.body ?? null,
      signal,
    });
    status = response.statusCode;
    span.setAttribute('http.response.status_code', status);
    const bytes = await response.body.bytes();
    if (status >= 400) {
      span.setAttribute('error.type', String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    return bufferedResponse(status, response.headers, bytes, `${method} ${target.display}`);
  } catch (error) {
    const aborted = plan.callerSignal?.aborted === true;
    const failure = aborted ? null : classify(error, signal.aborted);
    const type = aborted
      ? 'aborted'
      : failure === null
        ? 'invalid_request'
        : failure.kind === 'timeout'
          ? 'timeout'
          : failure.code;
    // A status already received stays on the span (a body cut mid-way is still a failed attempt).
    span.setAttribute('error.type', type);
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure?.message ?? type });
    status = undefined;
    if (aborted) throw (plan.callerSignal as AbortSignal).reason;
    throw failure ?? error;
  } finally {
    span.end();
    deps.metrics.duration.observe(
      { method, server_address: target.host, status_class: statusClass(status) },
      (performance.now() - started) / 1_000,
    );
  }
}
