// The retry loop for idempotent calls: run an attempt, and while its outcome is worth another one and
// attempts remain, wait the backoff and run the next. The wait ends at once when the caller aborts, and
// its timer is cleared then (cockatiel's retry, used before, slept its whole backoff out, a referenced
// timer holding the process open up to HTTP_CLIENT_BACKOFF_CAP_MS after the call had ended).
import { setTimeout as sleep } from 'node:timers/promises';

/** What an attempt ended with: a value, or what it threw. */
export type Outcome<T> = { readonly value: T } | { readonly error: unknown };

export interface RetryOptions<T> {
  /** Attempts in all, the first one included (HTTP_CLIENT_MAX_ATTEMPTS). */
  readonly attempts: number;
  readonly signal?: AbortSignal | undefined;
  /** The wait before retry `retry` (1 = the second attempt) after this outcome; null: no retry. */
  readonly delayMs: (retry: number, outcome: Outcome<T>) => number | null;
}

/** Run `attempt(0)`, `attempt(1)`, … as `options` allow; the last outcome settles the call. */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions<T>,
): Promise<T> {
  const { signal } = options;
  for (let n = 0; ; n += 1) {
    let outcome: Outcome<T>;
    try {
      outcome = { value: await attempt(n) };
    } catch (error) {
      outcome = { error };
    }
    const wait =
      n + 1 < options.attempts && signal?.aborted !== true ? options.delayMs(n + 1, outcome) : null;
    if (wait === null) {
      if ('error' in outcome) throw outcome.error;
      return outcome.value;
    }
    try {
      await sleep(wait, undefined, signal === undefined ? undefined : { signal });
    } catch (error) {
      throw signal?.aborted === true ? (signal.reason as unknown) : error;
    }
  }
}
