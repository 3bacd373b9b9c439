// What went wrong with one attempt, classified once where it happened (the attempt knows whether its own
// timeout fired), so the retry and breaker policies and the error mapping read a kind, not raw errors.

export type FailureKind =
  /** The attempt's timeout fired (headers or body not in time), or undici's own timers did. */
  | 'timeout'
  /** No connection: refused, unknown host, unreachable, connect timeout. */
  | 'connect'
  /** The connection broke mid-call: reset, closed, broken pipe. */
  | 'reset'
  /** The upstream sent something that is not HTTP. */
  | 'protocol'
  /** The body was larger than HTTP_CLIENT_MAX_RESPONSE_BYTES. */
  | 'too_large'
  | 'other';

const CONNECT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const RESET = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export class AttemptFailure extends Error {
  override readonly name = 'AttemptFailure';
  constructor(
    readonly kind: FailureKind,
    /** The system or undici code (ECONNREFUSED, UND_ERR_SOCKET…), for details and error.type. */
    readonly code: string,
  ) {
    super(`${kind} (${code})`);
  }

  /** Worth another attempt (for an idempotent call). */
  get retryable(): boolean {
    return this.kind === 'timeout' || this.kind === 'connect' || this.kind === 'reset';
  }

  /** Counts against the origin's breaker: the upstream is down, slow or broken. */
  get upstreamFault(): boolean {
    return this.retryable || this.kind === 'protocol';
  }
}

function codeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unknown';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Happy eyeballs: one error per address tried.
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0) return codeOf(inner[0]);
  return (error as { name?: unknown }).name === 'AbortError' ? 'ABORT_ERR' : 'unknown';
}

/**
 * Classify what an attempt threw; `timedOut`: the attempt's own timeout fired (not the caller's signal).
 * null: not the upstream's doing but the call's (an invalid header, a bad argument): rethrow it as it is.
 */
export function classify(error: unknown, timedOut: boolean): AttemptFailure | null {
  if (error instanceof AttemptFailure) return error;
  const code = codeOf(error);
  if (!timedOut && (code.startsWith('UND_ERR_INVALID') || code.startsWith('ERR_INVALID'))) return null;
  if (timedOut || TIMEOUT.has(code)) return new AttemptFailure('timeout', timedOut ? 'timeout' : code);
  if (CONNECT.has(code)) return new AttemptFailure('connect', code);
  if (RESET.has(code)) return new AttemptFailure('reset', code);
  if (code.startsWith('HPE_')) return new AttemptFailure('protocol', code);
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return new AttemptFailure('too_large', code);
  return new AttemptFailure('other', code);
}
