import { setTimeout as sleep } from 'node:timers/promises';

export interface Backoff {
  /** The first wait's ceiling (ms); each attempt doubles it… */
  readonly baseMs: number;
  /** …up to this cap (ms). */
  readonly capMs: number;
}

/**
 * "Full jitter": a random wait between 0 and min(cap, base·2^attempt), so replicas that lost the broker
 * together do not reconnect in step. `random` returns [0, 1) (tests pass their own).
 */
export function backoffDelayMs(
  attempt: number,
  backoff: Backoff,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Wait `ms` unless `signal` fires first; true when the whole wait passed. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return sleep(ms, true, { signal }).catch(() => false);
}

/**
 * `promise`'s value, or null when `ms` pass or `signal` fires first; the promise is then left to settle on
 * its own. A rejection before that is thrown. For a client call that might never answer.
 *
 * Every publish runs through here, so it is a plain timer: an AbortController-driven sleep cost an
 * AbortError (a DOMException and its stack) per call that ended in time, ≈ 6 % of a service's CPU under
 * a POST load.
 */
export function within<T>(
  promise: Promise<T>,
  ms: number,
  signal?: AbortSignal,
): Promise<{ value: T } | null> {
  return new Promise((resolve, reject) => {
    const gone = (): void => {
      settle();
      resolve(null);
    };
    const timer = setTimeout(gone, ms);
    const settle = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', gone);
    };
    if (signal?.aborted) gone();
    else signal?.addEventListener('abort', gone, { once: true });
    promise.then(
      (value) => {
        settle();
        resolve({ value });
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}

/**
 * Run `attempt` until it resolves, waiting a jittered back-off after each failure (`failed` hears of
 * it); null once `signal` fires. For connecting to a broker that may not be there yet.
 */
export async function retryUntilDone<T>(
  attempt: () => Promise<T>,
  options: { backoff: Backoff; signal: AbortSignal; failed: (error: unknown, waitMs: number) => void },
): Promise<T | null> {
  for (let n = 0; !options.signal.aborted; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (options.signal.aborted) break;
      const waitMs = backoffDelayMs(n, options.backoff);
      options.failed(error, waitMs);
      await pause(waitMs, options.signal);
    }
  }
  return null;
}
