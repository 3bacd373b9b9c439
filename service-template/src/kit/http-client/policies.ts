// The cockatiel policies a call runs through: retry (idempotent calls only) → the origin's circuit breaker,
// composed with wrap() once per origin; inside, each attempt keeps its own deadline (deadlines.ts). One
// breaker per origin, made on first use; the retry policy is shared (it keeps no state between calls).
import {
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
  type IRetryContext,
  type IRetryBackoffContext,
} from 'cockatiel';
import type { Logger } from 'pino';
import { AttemptFailure } from './failure.js';
import type { HttpClientMetrics } from './metrics.js';
import type { HttpResponse } from './response.js';
import { isRetryableResponse, retryDelayMs, type Backoff } from './retry-rules.js';
import type { HttpClientSettings } from './settings.js';

export interface OriginBreaker {
  readonly policy: CircuitBreakerPolicy;
  /** retry → this breaker, for idempotent calls (composed once, not per call). */
  readonly retrying: IPolicy<IRetryContext>;
  /** When an open breaker lets the next call through to test the origin (ms since the epoch). */
  halfOpensAt: number;
}

export interface Policies {
  breaker(origin: string): OriginBreaker;
  close(): void;
}

const isResponse = (value: unknown): value is HttpResponse =>
  typeof value === 'object' && value !== null && 'status' in value && 'headers' in value;

const STATE_NAMES: Record<CircuitState, string> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

export function createPolicies(
  settings: HttpClientSettings,
  metrics: HttpClientMetrics,
  logger: Logger,
): Policies {
  const backoff: Backoff = {
    baseMs: settings.HTTP_CLIENT_BACKOFF_BASE_MS,
    capMs: settings.HTTP_CLIENT_BACKOFF_CAP_MS,
  };
  const retryPolicy = retry(
    handleWhen((e) => e instanceof AttemptFailure && e.retryable).orWhenResult(
      (r) => isResponse(r) && isRetryableResponse(r, backoff, Date.now()),
    ),
    {
      // cockatiel counts retries, not attempts.
      maxAttempts: settings.HTTP_CLIENT_MAX_ATTEMPTS - 1,
      backoff: new DelegateBackoff<IRetryBackoffContext<unknown>>((context) =>
        retryDelayMs(
          context.attempt,
          'value' in context.result && isResponse(context.result.value) ? context.result.value : undefined,
          backoff,
          Date.now(),
        ),
      ),
    },
  );
  const breakers = new Map<string, OriginBreaker>();
  const listeners: { dispose(): void }[] = [];
  const halfOpenMs = settings.HTTP_CLIENT_BREAKER_HALF_OPEN_MS;

  const makeBreaker = (origin: string): OriginBreaker => {
    const policy = circuitBreaker(
      handleWhen((e) => e instanceof AttemptFailure && e.upstreamFault).orWhenResult(
        (r) => isResponse(r) && r.status >= 500,
      ),
      { halfOpenAfter: halfOpenMs, breaker: new ConsecutiveBreaker(settings.HTTP_CLIENT_BREAKER_FAILURES) },
    );
    const entry: OriginBreaker = { policy, retrying: wrap(retryPolicy, policy), halfOpensAt: 0 };
    metrics.breakerState.set({ origin }, CircuitState.Closed);
    listeners.push(
      policy.onBreak(() => {
        entry.halfOpensAt = Date.now() + halfOpenMs;
      }),
      policy.onStateChange((state) => {
        metrics.breakerState.set({ origin }, state);
        const fields = { origin, state: STATE_NAMES[state] };
        if (state === CircuitState.Open) {
          logger.warn({ ...fields, halfOpenInMs: halfOpenMs }, 'http-client circuit breaker opened');
        } else logger.info(fields, 'http-client circuit breaker changed state');
      }),
    );
    return entry;
  };

  return {
    breaker(origin) {
      let entry = breakers.get(origin);
      if (entry === undefined) {
        entry = makeBreaker(origin);
        breakers.set(origin, entry);
      }
      return entry;
    },
    close() {
      for (const listener of listeners.splice(0)) listener.dispose();
    },
  };
}
