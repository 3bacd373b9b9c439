// What a failed query means for the service: pg's errors (SQLSTATE codes, socket errors, pool and client
// messages) as AppErrors with a stable code and a message a client may read. Pure: tested with plain data.
import { AppError, type ErrorCode } from '../../errors.js';
import { scrub, urlCredentials } from '../../telemetry/secret-values.js';

/** The fields of pg's errors this module reads (DatabaseError carries `code` = SQLSTATE, `constraint`). */
interface PgErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly constraint?: unknown;
  readonly severity?: unknown;
}

/** What a server error may say in logs: names of things, never the row's values. */
const NAMING_FIELDS = ['severity', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine'] as const;

/** Socket errors: the database cannot be reached at all. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * SQLSTATEs meaning "no usable database right now": class 08 (connection exception) and these:
 * admin/crash shutdown, starting up, too many connections, bad credentials, no such database.
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '28P01', '28000', '3D000']);

/** A SQLSTATE meaning no usable database: class 08 or UNAVAILABLE_STATES. */
const unavailableState = (state: string): boolean => state.startsWith('08') || UNAVAILABLE_STATES.has(state);

/** Messages pg and pg-pool use for a connection that failed or went away (they carry no code). */
const UNAVAILABLE_MESSAGES: readonly [RegExp, string][] = [
  [/timeout exceeded when trying to connect/i, 'no connection within the connect timeout'],
  // A lone pg.Client's connect timeout (the migrations' client): the pool says it as above.
  [/^timeout expired$/i, 'no connection within the connect timeout'],
  [
    /does not support SSL connections/i,
    'the server does not accept TLS: remove sslmode from DATABASE_URL, or enable TLS on the server',
  ],
  [/connection terminated/i, 'connection lost'],
  [/not queryable/i, 'connection lost'],
  // pg's query_timeout: no answer within the statement and connect timeouts (a server that went silent).
  [/query read timeout/i, 'no answer from the database'],
];

/** SQLSTATEs a transaction is retried on: serialization failure and deadlock. */
export const RETRYABLE_STATES: ReadonlySet<string> = new Set(['40001', '40P01']);

function fields(error: unknown): PgErrorLike {
  return typeof error === 'object' && error !== null ? (error as PgErrorLike) : {};
}

/** The SQLSTATE (or socket code) of an error, looking through an AppError to the pg error it wraps. */
export function errorCode(error: unknown): string | undefined {
  const { code } = fields(error instanceof AppError ? error.cause : error);
  return typeof code === 'string' ? code : undefined;
}

/** True when a transaction that failed with this error may be run again from its start. */
export function isRetryable(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && RETRYABLE_STATES.has(code);
}

/**
 * Whether a connection whose statement failed with `error` can serve the next one: PostgreSQL answered
 * with an error of the statement (a unique violation, a statement timeout, a syntax error…), after which
 * the session is intact. Not after a connection failure, a shutdown, a FATAL error, or an error of the
 * client's own (its query timeout leaves the statement running in the server).
 */
export function connectionUsable(error: unknown): boolean {
  if (!fromServer(error)) return false;
  const { severity } = fields(error);
  const state = error.code;
  // The severity is in the server's language (lc_messages): the codes that end a session say it too.
  return (
    severity !== 'FATAL' &&
    severity !== 'PANIC' &&
    !unavailableState(state) &&
    !SESSION_ENDING_STATES.has(state)
  );
}

/** Errors PostgreSQL ends a session with, besides those of UNAVAILABLE_STATES: its idle timeouts. */
const SESSION_ENDING_STATES = new Set(['25P03', '57P05']);

export interface Classified {
  readonly code: ErrorCode;
  readonly message: string;
}

/** The AppError code and client-safe message for a pg error; null for the errors that propagate as they are. */
export function classify(error: unknown, statementTimeoutMs: number): Classified | null {
  if (error instanceof AppError) return null;
  const { code, message, constraint } = fields(error);
  const state = typeof code === 'string' ? code : '';
  if (state === '57014') {
    return {
      code: 'TIMEOUT',
      message: `database query timed out (statement timeout ${String(statementTimeoutMs)} ms)`,
    };
  }
  if (state === '23505') {
    const which = typeof constraint === 'string' ? ` (constraint ${constraint})` : '';
    return { code: 'CONFLICT', message: `a row with the same unique key already exists${which}` };
  }
  if (RETRYABLE_STATES.has(state)) {
    return {
      code: 'CONFLICT',
      message: 'the transaction conflicted with a concurrent one; retry the request',
    };
  }
  if (SOCKET_CODES.has(state)) return unavailable(state);
  if (unavailableState(state)) return unavailable(`SQLSTATE ${state}`);
  const text = typeof message === 'string' ? message : '';
  for (const [pattern, reason] of UNAVAILABLE_MESSAGES) if (pattern.test(text)) return unavailable(reason);
  return null;
}

function unavailable(reason: string): Classified {
  return { code: 'UNAVAILABLE', message: `database unavailable (${reason})` };
}

/**
 * The error a caller sees: an AppError (keeping the pg error as its cause, for logs), or the error itself —
 * an error PostgreSQL sent scrubbed of what may hold row values (scrubbed()), since a route that lets it
 * through answers 500 and logs it.
 */
export function toDbError(error: unknown, statementTimeoutMs: number): unknown {
  const classified = classify(error, statementTimeoutMs);
  if (classified === null) return fromServer(error) ? scrubbed(error) : error;
  const appError = new AppError(classified.code, classified.message);
  appError.cause = error;
  return appError;
}

/** An error PostgreSQL sent: a SQLSTATE (five digits or capitals) and a severity. */
function fromServer(error: unknown): error is Error & { code: string } {
  const { code, severity } = fields(error);
  return (
    error instanceof Error &&
    typeof code === 'string' &&
    /^[0-9A-Z]{5}$/.test(code) &&
    typeof severity === 'string'
  );
}

/**
 * The same error (its class: still `instanceof pg.DatabaseError`), keeping its SQLSTATE `code` and the
 * names it carries (table, column, constraint…) but not what may hold row values: `detail` ("Failing row
 * contains (…)", "Key (email)=(…)"), `where`, `internalQuery`, and in a data exception's message (class 22,
 * `invalid input syntax for type bigint: "abc"`) everything from the quoted value on, which becomes "…".
 */
export function scrubbed(error: Error & { code: string }): Error {
  // From the first quote on: a value may hold quotes itself (`"a"b"`).
  const quote = error.message.indexOf('"');
  const message =
    error.code.startsWith('22') && quote >= 0 ? `${error.message.slice(0, quote)}"…"` : error.message;
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  const kept: Record<string, unknown> = { name: error.name, message, code: error.code };
  for (const key of NAMING_FIELDS) {
    const value: unknown = (error as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string') kept[key] = value;
  }
  // pg's stack begins with the message and points into pg's parser only: the message alone.
  kept.stack = `${error.name}: ${message}`;
  return Object.assign(copy, kept);
}

/**
 * `text` with the whole URL and its credentials replaced by `***`: the password, raw and percent-decoded,
 * and credential parameters (`?password=…`, `?sslpassword=…`, which pg also reads from the URL).
 */
export function redact(text: string, url: string): string {
  return scrub(text, [url, ...urlCredentials(url)]);
}
