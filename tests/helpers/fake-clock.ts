import type { Clock } from '../../lib/ports/clock.js';
import { abortReason } from '../../lib/wait/clock.js';

/**
 * A clock that never really waits: sleep(ms) moves its time on by ms (at the next turn of the event loop,
 * so a probe that answers from memory answers first) and records the pause. An aborted sleep rejects with
 * the signal's reason and moves nothing. For probes over in-memory fakes, not real I/O.
 */
export function fakeClock(start = 0): Clock & { readonly sleeps: number[]; readonly elapsed: number } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    get elapsed() {
      return now - start;
    },
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(abortReason(signal));
          return;
        }
        const until = now + ms;
        const stop = (): void => {
          clearImmediate(tick);
          if (signal) reject(abortReason(signal));
        };
        const tick = setImmediate(() => {
          signal?.removeEventListener('abort', stop);
          now = Math.max(now, until);
          sleeps.push(ms);
          resolve();
        });
        signal?.addEventListener('abort', stop, { once: true });
      }),
  };
}
