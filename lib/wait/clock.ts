import type { Clock } from '../ports/clock.js';

/** The signal's reason as an Error (an abort without a reason gives the platform's AbortError). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new Error(typeof reason === 'string' ? reason : 'aborted', { cause: reason });
}

/** Rejects with the signal's reason once it aborts; `dispose` drops the listener when no longer needed. */
export function whenAborted(signal: AbortSignal | undefined): {
  promise: Promise<never>;
  dispose: () => void;
} {
  let dispose = (): void => undefined;
  const promise = new Promise<never>((_, reject) => {
    if (signal === undefined) return;
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    const fail = (): void => {
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', fail, { once: true });
    dispose = () => {
      signal.removeEventListener('abort', fail);
    };
  });
  return { promise, dispose };
}

/** Real time: performance.now() and timers. The one place the waiting helpers touch a timer. */
export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const stop = (): void => {
        clearTimeout(timer);
        if (signal) reject(abortReason(signal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', stop);
        resolve();
      }, ms);
      signal?.addEventListener('abort', stop, { once: true });
    }),
};
