// One request and its response read whole, through undici's dispatch API: the response is collected into
// one buffer as it arrives, with no stream, no per-request async resource and no abort listener. The
// attempt's deadline aborts it through the controller undici hands over (or fails it at once while it still
// waits for a connection). `request()` + `body.bytes()` do the same with a Readable in between.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Deadline, Deadlines } from './deadlines.js';

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

/** The attempt's deadline, and the caller's signal (if any) that may end it sooner. */
interface Timing {
  readonly deadlines: Deadlines;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

const EMPTY = new Uint8Array(0);

class TimeoutAbort extends Error {
  override readonly name = 'TimeoutAbort';
}

/** The handler undici calls back (one object per attempt, its methods on the prototype). */
class BufferingHandler implements Dispatcher.DispatchHandler, Exchange {
  readonly done: Promise<Received>;
  status: number | undefined;
  private controller: Controller | null = null;
  /** Why the attempt was stopped before undici handed over its controller. */
  private stopped: Error | null = null;
  private headers: IncomingHttpHeaders = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private resolve: ((received: Received) => void) | null = null;
  private reject: ((error: unknown) => void) | null = null;
  private readonly deadline: Deadline;
  private readonly onAbort: (() => void) | null = null;

  private readonly signal: AbortSignal | undefined;

  constructor(timing: Timing) {
    const signal = timing.signal;
    this.signal = signal;
    this.done = new Promise<Received>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.deadline = timing.deadlines.start(timing.timeoutMs, () => this.stop(new TimeoutAbort('timeout')));
    if (signal !== undefined) {
      const onAbort = (): void =>
        this.stop(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      this.onAbort = onAbort;
    }
  }

  get timedOut(): boolean {
    return this.deadline.expired;
  }

  stop(reason: Error): void {
    if (this.controller !== null) this.controller.abort(reason);
    else {
      this.stopped = reason;
      this.fail(reason); // still queued for a connection: no need to wait for one
    }
  }

  fail(error: unknown): void {
    const reject = this.reject;
    this.end();
    reject?.(error);
  }

  private end(): void {
    this.resolve = null;
    this.reject = null;
    this.deadline.clear();
    if (this.onAbort !== null) this.signal?.removeEventListener('abort', this.onAbort);
  }

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    if (this.stopped !== null) controller.abort(this.stopped);
  }

  onResponseStart(_controller: unknown, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // 1xx: the final response follows
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(_controller: unknown, chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  onResponseEnd(): void {
    const resolve = this.resolve;
    this.end();
    const { chunks, size } = this;
    const bytes =
      chunks.length === 1 ? (chunks[0] as Buffer) : size === 0 ? EMPTY : Buffer.concat(chunks, size);
    resolve?.({ status: this.status ?? 0, headers: this.headers, bytes });
  }

  onResponseError(_controller: unknown, error: Error): void {
    this.fail(error);
  }
}

export function exchange(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  timing: Timing,
): Exchange {
  const handler = new BufferingHandler(timing);
  try {
    dispatcher.dispatch(options, handler);
  } catch (error) {
    handler.fail(error);
  }
  return handler;
}
