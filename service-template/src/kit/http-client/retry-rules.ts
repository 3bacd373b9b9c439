// When a call may be retried and how long to wait: pure functions of the method, the headers, the status
// and the attempt number, so they are tested with plain data.
import type { IncomingHttpHeaders } from 'node:http';

/** Safe to send twice (RFC 9110 §9.2.2). POST and PATCH are retried only when the caller says so. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** Idempotent: by the caller's word, else by method, else when it carries an Idempotency-Key. */
export function isIdempotent(
  method: string,
  headers: Readonly<Record<string, string>>,
  flag?: boolean,
): boolean {
  if (flag !== undefined) return flag;
  if (IDEMPOTENT.has(method)) return true;
  return Object.keys(headers).some((name) => name.toLowerCase() === 'idempotency-key');
}

/** Statuses that say "try again later": too many requests, bad gateway, unavailable, gateway timeout. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Retry-After (RFC 9110 §10.2.3) in ms from `now`: delay-seconds or an HTTP date; undefined if absent/bad. */
export function retryAfterMs(value: string | string[] | undefined, now: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface Backoff {
  readonly baseMs: number;
  readonly capMs: number;
}

/** Full jitter (AWS architecture blog): random in [0, min(cap, base × 2^(retry-1))), retry counted from 1. */
export function fullJitterMs(retry: number, backoff: Backoff, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

export interface StatusLike {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
}

/**
 * A response worth another attempt: a retryable status whose Retry-After (if any) is within the cap; one
 * asking for a longer wait is given up at once (waiting less is pointless, waiting more exceeds the budget).
 */
export function isRetryableResponse(response: StatusLike, backoff: Backoff, now: number): boolean {
  if (!RETRYABLE_STATUSES.has(response.status)) return false;
  const after = retryAfterMs(response.headers['retry-after'], now);
  return after === undefined || after <= backoff.capMs;
}

/** The wait before retry `retry`: what Retry-After asked for, else full jitter. */
export function retryDelayMs(
  retry: number,
  response: StatusLike | undefined,
  backoff: Backoff,
  now: number,
  random: () => number = Math.random,
): number {
  const after = response ? retryAfterMs(response.headers['retry-after'], now) : undefined;
  return after === undefined ? fullJitterMs(retry, backoff, random) : Math.min(after, backoff.capMs);
}
