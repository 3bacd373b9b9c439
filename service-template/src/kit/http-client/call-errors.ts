// A failed call as the service's error shape: what happened, to which upstream, and what to do about it.
// Messages and details name the origin and path only: never the query, credentials or the upstream's body.
import { AppError } from '../../errors.js';
import type { AttemptFailure } from './failure.js';

export interface CallInfo {
  readonly method: string;
  readonly origin: string;
  /** Origin + path, no query. */
  readonly display: string;
  readonly attempts: number;
  readonly timeoutMs: number;
}

const tries = (n: number): string => (n === 1 ? '1 attempt' : `${n} attempts`);

export function failureError(failure: AttemptFailure, call: CallInfo): AppError {
  const what = `${call.method} ${call.display}`;
  const details = { upstream: call.origin, attempts: call.attempts, cause: failure.code };
  switch (failure.kind) {
    case 'timeout':
      return new AppError(
        'TIMEOUT',
        `${what} took longer than ${call.timeoutMs} ms (${tries(call.attempts)}): the upstream is slow or hanging; raise timeoutMs or HTTP_CLIENT_TIMEOUT_MS only if it is expected to be that slow`,
        details,
      );
    case 'connect':
      return new AppError(
        'UNAVAILABLE',
        `${what} failed: cannot connect (${failure.code}) after ${tries(call.attempts)}; check that ${call.origin} is running and reachable`,
        details,
      );
    case 'reset':
      return new AppError(
        'UNAVAILABLE',
        `${what} failed: the connection broke (${failure.code}) after ${tries(call.attempts)}; ${call.origin} may be restarting or overloaded`,
        details,
      );
    case 'too_large':
      return new AppError(
        'UPSTREAM',
        `${what} failed: the response is larger than HTTP_CLIENT_MAX_RESPONSE_BYTES; raise it if such bodies are expected`,
        details,
      );
    default:
      return new AppError(
        'UPSTREAM',
        `${what} failed: ${call.origin} answered with something that is not valid HTTP (${failure.code})`,
        details,
      );
  }
}

/** An error status: 5xx after retries (always thrown), 4xx when the caller asked for throwOnError. */
export function statusError(status: number, call: CallInfo, retryAfter?: string): AppError {
  const what = `${call.method} ${call.display}`;
  const details = { upstream: call.origin, status, attempts: call.attempts };
  if (status === 429) {
    return new AppError(
      'UNAVAILABLE',
      `${call.origin} is rate limiting ${what} (429${retryAfter ? `, Retry-After ${retryAfter}` : ''}); call it less often or later`,
      retryAfter ? { ...details, retryAfter } : details,
    );
  }
  const after = status >= 500 ? ` after ${tries(call.attempts)}` : '';
  return new AppError('UPSTREAM', `${call.origin} answered ${status} to ${what}${after}`, details);
}

export function breakerOpenError(
  call: CallInfo,
  failures: number,
  halfOpensAt: number,
  now: number,
): AppError {
  const inMs = Math.max(0, halfOpensAt - now);
  return new AppError(
    'UNAVAILABLE',
    `${call.method} ${call.display} not sent: the circuit breaker for ${call.origin} is open after ${failures} consecutive failures; calls fail at once until it half-opens at ${new Date(halfOpensAt).toISOString()} (in ${inMs} ms) and lets one call through to test it`,
    { upstream: call.origin, breaker: 'open', halfOpensAt: new Date(halfOpensAt).toISOString() },
  );
}
