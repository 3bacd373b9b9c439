// The handle a service's code uses: request() and getJson(). A call runs the retry loop (idempotent calls
// only) → the origin's breaker → the attempt's timeout, then its outcome becomes a response or an AppError.
import { context } from '@opentelemetry/api';
import { BrokenCircuitError } from 'cockatiel';
import type { Dispatcher } from 'undici';
import type { ZodType } from 'zod';
import { AppError } from '../../errors.js';
import { sendAttempt, type AttemptDeps, type CallPlan } from './attempt.js';
import { breakerOpenError, failureError, statusError, type CallInfo } from './call-errors.js';
import { AttemptFailure } from './failure.js';
import type { Policies } from './policies.js';
import type { HttpResponse } from './response.js';
import { raceAbort } from './race-abort.js';
import { withRetries } from './retry-loop.js';
import { isIdempotent } from './retry-rules.js';
import type { HttpClientSettings } from './settings.js';
import type { ResolvedTarget, Target } from './target.js';
import { targetResolver } from './target-cache.js';

export interface RequestOptions {
  /** Default GET. */
  readonly method?: Dispatcher.HttpMethod;
  readonly headers?: Readonly<Record<string, string>>;
  /** A body sent as it is (replayable, so a retry can send it again). */
  readonly body?: string | Uint8Array;
  /** A body sent as JSON (content-type: application/json). */
  readonly json?: unknown;
  /** This call's per-attempt timeout (headers and body), instead of HTTP_CLIENT_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** Safe to send twice? Default: by method (GET, HEAD, OPTIONS, PUT, DELETE) or an Idempotency-Key header. */
  readonly idempotent?: boolean;
  /** Aborts the call (every attempt and any backoff); the call then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Also throw on 4xx (as UPSTREAM; 429 as UNAVAILABLE). 5xx always throws UPSTREAM. */
  readonly throwOnError?: boolean;
}

export type GetJsonOptions<T> = Omit<RequestOptions, 'method' | 'body' | 'json' | 'throwOnError'> & {
  /** Validate the JSON (zod): a mismatch is UPSTREAM, naming the paths, not the values. */
  readonly schema?: ZodType<T>;
};

export interface HttpClient {
  /** Any status under 500 comes back as a response (4xx too, unless throwOnError); the rest throws AppError. */
  request(target: Target, options?: RequestOptions): Promise<HttpResponse>;
  /** GET, expect 2xx JSON: anything else throws AppError (UPSTREAM, UNAVAILABLE or TIMEOUT). */
  getJson<T = unknown>(target: Target, options?: GetJsonOptions<T>): Promise<T>;
}

export interface ClientDeps extends AttemptDeps {
  readonly policies: Policies;
  readonly userAgent: string;
}

export function createHttpClient(settings: HttpClientSettings, deps: ClientDeps): HttpClient {
  const resolveTarget = targetResolver();
  const headersFor = (target: ResolvedTarget, options: RequestOptions): Record<string, string> => {
    const headers: Record<string, string> = { 'user-agent': deps.userAgent };
    if (target.authorization !== undefined) headers.authorization = target.authorization;
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    if (options.headers === undefined) return headers;
    for (const name in options.headers) headers[name.toLowerCase()] = options.headers[name] as string;
    return headers;
  };

  const call = async (target: ResolvedTarget, options: RequestOptions): Promise<HttpResponse> => {
    const method = options.method ?? 'GET';
    const headers = headersFor(target, options);
    const timeoutMs = options.timeoutMs ?? settings.HTTP_CLIENT_TIMEOUT_MS;
    const plan: CallPlan = {
      target,
      method,
      headers,
      body: options.json === undefined ? options.body : JSON.stringify(options.json),
      timeoutMs,
      parent: context.active(),
      callerSignal: options.signal,
    };
    const info = (attempts: number): CallInfo => ({
      method,
      origin: target.origin,
      display: target.display,
      attempts,
      timeoutMs,
    });
    const breaker = deps.policies.breaker(target.origin);
    let attempts = 0;
    const attempt = (n: number): Promise<HttpResponse> =>
      breaker.policy.execute(() => {
        attempts += 1;
        return sendAttempt(deps, plan, n);
      }, options.signal);
    let response: HttpResponse;
    try {
      const outcome = isIdempotent(method, headers, options.idempotent)
        ? withRetries(attempt, {
            attempts: settings.HTTP_CLIENT_MAX_ATTEMPTS,
            signal: options.signal,
            delayMs: deps.policies.retryDelayMs,
          })
        : attempt(0);
      response = await raceAbort(outcome, options.signal);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        deps.metrics.rejected.inc({ origin: target.origin });
        const failures = settings.HTTP_CLIENT_BREAKER_FAILURES;
        throw breakerOpenError(info(attempts), failures, breaker.halfOpensAt, Date.now());
      }
      if (!(error instanceof AttemptFailure)) throw error;
      const appError = failureError(error, info(attempts));
      deps.logger.warn(
        { method, url: target.display, attempts, cause: error.code },
        'http-client call failed',
      );
      throw appError;
    }
    if (response.status >= 500 || (options.throwOnError === true && response.status >= 400)) {
      const retryAfter = response.headers['retry-after'];
      const appError = statusError(
        response.status,
        info(attempts),
        Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      );
      if (response.status >= 500) {
        deps.logger.warn(
          { method, url: target.display, attempts, status: response.status },
          'http-client call failed',
        );
      }
      throw appError;
    }
    return response;
  };

  return {
    request: async (target, options = {}) => call(resolveTarget(target), options),
    async getJson<T>(target: Target, options: GetJsonOptions<T> = {}): Promise<T> {
      const resolved = resolveTarget(target);
      const { schema, ...rest } = options;
      const headers = { accept: 'application/json', ...rest.headers };
      const response = await call(resolved, { ...rest, headers, method: 'GET', throwOnError: true });
      const value = response.json<unknown>();
      if (schema === undefined) return value as T;
      const parsed = schema.safeParse(value);
      if (parsed.success) return parsed.data;
      throw new AppError(
        'UPSTREAM',
        `${resolved.origin} answered GET ${resolved.display} with JSON of an unexpected shape`,
        {
          upstream: resolved.origin,
          issues: parsed.error.issues.map((i) => ({
            path: i.path.map(String).join('.'),
            message: i.message,
          })),
        },
      );
    },
  };
}
