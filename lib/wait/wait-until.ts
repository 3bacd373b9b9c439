import { FoundationError, type ErrorCode } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { seconds } from '../report/summary.js';
import { DEFAULT_BACKOFF, backoffDelay, type Backoff } from './backoff.js';
import { abortReason, realClock, whenAborted } from './clock.js';

/** A probe's answer while what it waits for is not there yet, and what it saw instead. */
export interface Pending {
  readonly done: false;
  readonly reason: string;
}

export const pending = (reason: string): Pending => ({ done: false, reason });

/** What each try gets: its number, a signal aborted when the wait ends, and a way to report progress. */
export interface Attempt {
  readonly n: number;
  /** Aborted at the deadline, on cancel, and once the try is over: stop what it started. */
  readonly signal: AbortSignal;
  /** What the try sees so far (shown when the wait gives up while this try is still running). */
  readonly note: (reason: string) => void;
}

/** Anything but false, null, undefined or pending(…) ends the wait with that value. */
export type Probe<T> = (attempt: Attempt) => Promise<T | Pending | false | null | undefined>;

/** How long in all (from now), or the clock time (`clock.now()`) to give up at. */
export type WaitLimit =
  | { readonly timeoutMs: number; readonly deadline?: undefined }
  | { readonly deadline: number; readonly timeoutMs?: undefined };

export type WaitOptions = WaitLimit &
  Partial<Backoff> & {
    /** What is awaited, for the message: "every node to be Ready". */
    readonly what: string;
    /** Give up after this many tries, even before the deadline. */
    readonly maxAttempts?: number;
    /** Cancels the wait at once, rejecting with the signal's reason. */
    readonly signal?: AbortSignal;
    readonly clock?: Clock;
    /** The jitter's random source (tests pin it). */
    readonly random?: () => number;
    /** The error code at the deadline (default E_WAIT_TIMEOUT) and its fix. */
    readonly code?: ErrorCode;
    readonly fix?: string;
  };

export interface WaitTimeoutDetails {
  readonly code: ErrorCode;
  readonly what: string;
  readonly lastSeen: string;
  readonly elapsedMs: number;
  readonly attempts: number;
  readonly fix?: string | undefined;
  readonly cause?: unknown;
}

/** A wait that gave up: what it waited for, for how long, and the last thing it saw. */
export class WaitTimeout extends FoundationError {
  constructor(readonly details: WaitTimeoutDetails) {
    const d = details;
    super(
      d.code,
      `gave up waiting for ${d.what} after ${seconds(d.elapsedMs)} (${d.attempts} ${d.attempts === 1 ? 'try' : 'tries'}); last seen: ${d.lastSeen}`,
      d.fix,
      d.cause === undefined ? undefined : { cause: d.cause },
    );
  }

  get lastSeen(): string {
    return this.details.lastSeen;
  }
}

const isPending = (v: unknown): v is Pending =>
  typeof v === 'object' && v !== null && (v as { done?: unknown }).done === false;

const LATE = Symbol('late');
const NOTHING = 'no answer';

/** One try, raced against the deadline and the caller's signal; its own signal aborts when it is over. */
async function once<T>(
  probe: Probe<T>,
  attempt: Omit<Attempt, 'signal'>,
  o: WaitOptions,
  clock: Clock,
  deadline: number,
): Promise<T | Pending | false | null | undefined | typeof LATE> {
  const over = new AbortController();
  const signal = o.signal === undefined ? over.signal : AbortSignal.any([o.signal, over.signal]);
  const cancelled = whenAborted(o.signal);
  const answer = (async () => probe({ ...attempt, signal }))();
  const late = clock.sleep(Math.max(0, deadline - clock.now()), over.signal).then((): typeof LATE => LATE);
  void answer.catch(() => undefined);
  void late.catch(() => undefined);
  try {
    return await Promise.race([answer, late, cancelled.promise]);
  } finally {
    over.abort();
    cancelled.dispose();
  }
}

/**
 * Ask `probe` until it answers with a value, pausing with backoff and jitter between tries. At the
 * deadline (or after maxAttempts) it rejects with a WaitTimeout naming what it waited for, how long, and
 * the last reason seen — it never gives up silently. A try still running at the deadline is abandoned
 * (its signal aborts). The caller's signal rejects at once with the signal's reason. An error thrown by
 * the probe ends the wait with that error (use retry() for operations that throw until they work).
 */
export async function waitUntil<T>(probe: Probe<T>, o: WaitOptions): Promise<T> {
  const clock = o.clock ?? realClock;
  const backoff: Backoff = {
    intervalMs: o.intervalMs ?? DEFAULT_BACKOFF.intervalMs,
    maxIntervalMs: o.maxIntervalMs ?? DEFAULT_BACKOFF.maxIntervalMs,
    factor: o.factor ?? DEFAULT_BACKOFF.factor,
    jitter: o.jitter ?? DEFAULT_BACKOFF.jitter,
  };
  const started = clock.now();
  const deadline = o.deadline !== undefined ? o.deadline : started + o.timeoutMs;
  let last = NOTHING;
  for (let n = 1; ; n++) {
    if (o.signal?.aborted) throw abortReason(o.signal);
    let live = true; // a try that is over no longer speaks for the wait
    const note = (reason: string): void => {
      if (live) last = reason;
    };
    const answer = await once(probe, { n, note }, o, clock, deadline).finally(() => {
      live = false;
    });
    if (answer !== LATE) {
      if (answer !== false && answer !== null && answer !== undefined && !isPending(answer)) return answer;
      if (isPending(answer)) last = answer.reason;
      else if (last === NOTHING) last = 'not yet';
    }
    const now = clock.now();
    if (answer === LATE || now >= deadline || (o.maxAttempts !== undefined && n >= o.maxAttempts))
      throw new WaitTimeout({
        code: o.code ?? 'E_WAIT_TIMEOUT',
        what: o.what,
        lastSeen: last,
        elapsedMs: now - started,
        attempts: n,
        fix: o.fix,
      });
    await clock.sleep(Math.min(backoffDelay(n, backoff, o.random), deadline - now), o.signal);
  }
}
