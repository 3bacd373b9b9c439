// One request and its response read whole, through undici's dispatch API: the response is collected into
// one buffer as it arrives, with no stream, no per-request async resource and no abort listener. The
// attempt's deadline aborts it through the controller undici hands over (or fails it at once while it still
// waits for a connection). `request()` + `body.bytes()` do the same with a Readable in between.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Deadlines } from './deadlines.js';

export interface Received {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly bytes: Uint8Array;
}

export interface Exchange {
  /** The whole response, or the error that ended the attempt. */
  readonly done: Promise<Received>;
  /** The final status, once its headers came (also when the body then failed). */
  readonly status: number | undefined;
  /** The attempt's own deadline passed (as opposed to the caller aborting, or the upstream failing). */
  readonly timedOut: boolean;
}

interface Controller {
  abort(reason: Error): void;
}

const EMPTY = new Uint8Array(0);

class TimeoutAbort extends Error {
  override readonly name = 'TimeoutAbort';
}

export function exchange(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  timing: {
    readonly deadlines: Deadlines;
    readonly timeoutMs: number;
    readonly signal: AbortSignal | undefined;
  },
): Exchange {
  let controller: Controller | null = null;
  /** Why the attempt was stopped before undici handed over its controller. */
  let stopped: Error | null = null;
  let status: number | undefined;
  let headers: IncomingHttpHeaders = {};
  const chunks: Buffer[] = [];
  let size = 0;
  let settle: { resolve(r: Received): void; reject(e: unknown): void } | null = null;
  const done = new Promise<Received>((resolve, reject) => (settle = { resolve, reject }));

  const stop = (reason: Error): void => {
    if (controller !== null) controller.abort(reason);
    else {
      stopped = reason;
      fail(reason); // still queued for a connection: no need to wait for one
    }
  };
  const deadline = timing.deadlines.start(timing.timeoutMs, () => stop(new TimeoutAbort('timeout')));
  const signal = timing.signal;
  const onAbort = (): void => stop(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });

  function end(): void {
    deadline.clear();
    signal?.removeEventListener('abort', onAbort);
  }
  function fail(error: unknown): void {
    end();
    const s = settle;
    settle = null;
    s?.reject(error);
  }

  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      controller = c;
      if (stopped !== null) c.abort(stopped);
    },
    onResponseStart(_c, statusCode, responseHeaders) {
      if (statusCode < 200) return; // 1xx: the final response follows
      status = statusCode;
      headers = responseHeaders as IncomingHttpHeaders;
    },
    onResponseData(_c, chunk) {
      chunks.push(chunk);
      size += chunk.length;
    },
    onResponseEnd() {
      end();
      const s = settle;
      settle = null;
      const bytes =
        chunks.length === 1 ? (chunks[0] as Buffer) : size === 0 ? EMPTY : Buffer.concat(chunks, size);
      s?.resolve({ status: status ?? 0, headers, bytes });
    },
    onResponseError(_c, error) {
      fail(error);
    },
  };
  try {
    dispatcher.dispatch(options, handler);
  } catch (error) {
    fail(error);
  }
  return {
    done,
    get status() {
      return status;
    },
    get timedOut() {
      return deadline.expired;
    },
  };
}
