import { within } from './backoff.js';

/**
 * The typed error of an EventBus whose broker cannot be reached, or that did not answer in time: the
 * event was not acknowledged (it may still be stored if the send was in flight; a retry is at-least-once).
 * The HTTP layer answers 503 with Retry-After (src/errors.ts).
 */
export class BrokerUnavailableError extends Error {
  override readonly name = 'BrokerUnavailableError';
  readonly code = 'BROKER_UNAVAILABLE';
  constructor(
    message: string,
    /** When a retry makes sense, in seconds (the reconnect back-off's cap). */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The text of an error and of its causes or aggregated errors, on one line (for logs and /readyz). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = (error as { errors?: unknown }).errors;
  const first = Array.isArray(inner) && inner.length > 0 ? inner[0] : error.cause;
  const own = error.message || error.name;
  return first === undefined ? own : `${own} (${describeError(first)})`;
}

/** `work`, or a rejection with `timeout()` after `ms` (the work itself is not cancelled). */
export async function withDeadline<T>(work: Promise<T>, ms: number, timeout: () => Error): Promise<T> {
  const done = await within(work, ms);
  if (done === null) throw timeout();
  return done.value;
}

/** The error of a send the broker did not acknowledge within the publish timeout. */
export const late = (settings: { readonly publishTimeoutMs: number }): Error =>
  new Error(`Kafka did not acknowledge the event within ${settings.publishTimeoutMs} ms`);
