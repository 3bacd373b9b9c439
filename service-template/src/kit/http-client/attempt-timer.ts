// The attempt's own deadline: one timer, and an EventEmitter undici listens to for 'abort' (undici takes an
// AbortSignal or an EventEmitter as `signal`; an emitter's listeners cost a fraction of an EventTarget's,
// measured: see docs/http-client.md). The caller's AbortSignal, if any, is linked to it.
import { EventEmitter } from 'node:events';

export interface AttemptTimer {
  /** Emits 'abort' when the timeout fires or the caller aborts. */
  readonly signal: EventEmitter;
  /** The timeout fired (not the caller's abort). */
  readonly timedOut: boolean;
  clear(): void;
}

export function attemptTimer(ms: number, caller: AbortSignal | undefined): AttemptTimer {
  const signal = new EventEmitter();
  let fired = false;
  let aborted = false;
  const abort = (): void => {
    if (aborted) return;
    aborted = true;
    signal.emit('abort');
  };
  const timer = setTimeout(() => {
    fired = true;
    abort();
  }, ms);
  if (caller !== undefined) caller.addEventListener('abort', abort, { once: true });
  return {
    signal,
    get timedOut() {
      return fired;
    },
    clear() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', abort);
    },
  };
}
