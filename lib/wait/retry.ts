import { WaitTimeout, pending, waitUntil, type Attempt, type WaitOptions } from './wait-until.js';

export type RetryOptions = WaitOptions & {
  /** Tries after the first one (besides the time limit). */
  readonly retries?: number;
  /** Which errors are worth another try; any other is thrown at once. Default: every error. */
  readonly retryable?: (error: unknown) => boolean;
};

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Run `fn` until it does not throw, with backoff and jitter between tries (see waitUntil). An error that
 * is not retryable is thrown at once; when the tries or the time run out it rejects with a WaitTimeout
 * whose message names the last error, and whose cause is that error.
 */
export async function retry<T>(fn: (attempt: Attempt) => Promise<T>, o: RetryOptions): Promise<T> {
  const retryable = o.retryable ?? (() => true);
  let lastError: unknown;
  try {
    const box = await waitUntil(
      async (attempt) => {
        try {
          return { value: await fn(attempt) };
        } catch (error) {
          if (!retryable(error)) throw error;
          lastError = error;
          return pending(message(error));
        }
      },
      o.retries === undefined ? o : { ...o, maxAttempts: o.retries + 1 },
    );
    return box.value;
  } catch (error) {
    if (error instanceof WaitTimeout && lastError !== undefined)
      throw new WaitTimeout({ ...error.details, cause: lastError });
    throw error;
  }
}
