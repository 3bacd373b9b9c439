// What a call runs through: for idempotent calls the retry loop (retry-loop.ts, with the retry rules
// below), and for each attempt the origin's cockatiel circuit breaker; inside, each attempt keeps its own
// deadline (deadlines.ts). One breaker per origin, made on first use.
import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { Logger } from 'pino';
import { AttemptFailure } from './failure.js';
import type { HttpClientMetrics } from './metrics.js';
import type { HttpResponse } from './response.js';
import type { Outcome } from './retry-loop.js';
import { isRetryableResponse, retryDelayMs, type Backoff } from './retry-rules.js';
import type { HttpClientSettings } from './settings.js';

export interface OriginBreaker {
  readonly policy: CircuitBreakerPolicy;
  /** When an open breaker lets the next call through to test the origin (ms since the epoch). */
  halfOpensAt: number;
}

export interface Policies {
  breaker(origin: string): OriginBreaker;
  /**
   * The wait before retry `retry` of an idempotent call after this outcome, or null: a retryable failure
   * or a retryable status waits full jitter or its Retry-After; anything else (an open breaker too) ends.
   */
  retryDelayMs(retry: number, outcome: Outcome<HttpResponse>): number | null;
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
    const entry: OriginBreaker = { policy, halfOpensAt: 0 };
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
    retryDelayMs(retry, outcome) {
      const now = Date.now();
      if ('error' in outcome) {
        const retryable = outcome.error instanceof AttemptFailure && outcome.error.retryable;
        return retryable ? retryDelayMs(retry, undefined, backoff, now) : null;
      }
      const response = outcome.value;
      return isRetryableResponse(response, backoff, now) ? retryDelayMs(retry, response, backoff, now) : null;
    },
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
