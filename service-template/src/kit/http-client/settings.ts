import { z } from 'zod';

const ms = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** The http-client part's settings, read from the environment with the service's other settings. */
export const httpClientSettings = {
  /**
   * How long one attempt may take, in ms: connecting, sending, the response headers AND its body. A call
   * can override it (`timeoutMs`). A retried call takes at most attempts × this, plus the backoffs.
   */
  HTTP_CLIENT_TIMEOUT_MS: ms(1, 300_000, 2_000),
  /** Attempts per call, the first included (1: never retry). Only idempotent calls are retried. */
  HTTP_CLIENT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** Full-jitter exponential backoff: the wait before retry n is random in [0, min(cap, base × 2^(n-1))). */
  HTTP_CLIENT_BACKOFF_BASE_MS: ms(1, 60_000, 100),
  /** The longest wait before a retry, in ms; a Retry-After longer than this is not waited for (no retry). */
  HTTP_CLIENT_BACKOFF_CAP_MS: ms(1, 300_000, 2_000),
  /** Consecutive failed attempts to one origin (connection errors, timeouts, 5xx) that open its breaker. */
  HTTP_CLIENT_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1_000).default(5),
  /** How long an open breaker fails calls at once before it lets one through to test the origin, in ms. */
  HTTP_CLIENT_BREAKER_HALF_OPEN_MS: ms(1, 3_600_000, 10_000),
  /** Keep-alive connections per origin at most (undici Pool `connections`); calls beyond wait for one. */
  HTTP_CLIENT_CONNECTIONS: z.coerce.number().int().min(1).max(10_000).default(64),
  /** Responses are read whole; a larger body fails the call (UPSTREAM) instead of filling the memory. */
  HTTP_CLIENT_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(1024 * 1024 * 1024)
    .default(8 * 1024 * 1024),
};

export type HttpClientSettings = z.infer<z.ZodObject<typeof httpClientSettings>>;
