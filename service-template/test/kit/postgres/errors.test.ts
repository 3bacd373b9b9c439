import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../../src/errors.js';
import {
  classify,
  connectionUsable,
  errorCode,
  isRetryable,
  redact,
  toDbError,
} from '../../../src/kit/postgres/errors.js';

/** A pg DatabaseError as it arrives: message, SQLSTATE code, constraint for integrity violations. */
const pgError = (code: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(`server said ${code}`), { code, ...extra });

describe('postgres errors', () => {
  it('maps SQLSTATEs to the AppError codes routes answer with', () => {
    const cases: [Error, string][] = [
      [pgError('57014'), 'TIMEOUT'],
      [pgError('23505', { constraint: 'items_name_key' }), 'CONFLICT'],
      [pgError('40001'), 'CONFLICT'],
      [pgError('40P01'), 'CONFLICT'],
      [pgError('08006'), 'UNAVAILABLE'],
      [pgError('57P01'), 'UNAVAILABLE'],
      [pgError('53300'), 'UNAVAILABLE'],
      [pgError('28P01'), 'UNAVAILABLE'],
      [pgError('ECONNREFUSED'), 'UNAVAILABLE'],
      [pgError('ECONNRESET'), 'UNAVAILABLE'],
      [new Error('timeout exceeded when trying to connect'), 'UNAVAILABLE'],
      [new Error('timeout expired'), 'UNAVAILABLE'],
      [new Error('The server does not support SSL connections'), 'UNAVAILABLE'],
      [new Error('Connection terminated unexpectedly'), 'UNAVAILABLE'],
      [new Error('Connection terminated due to connection timeout'), 'UNAVAILABLE'],
      [new Error('Client has encountered a connection error and is not queryable'), 'UNAVAILABLE'],
    ];
    for (const [error, code] of cases) assert.equal(classify(error, 5_000)?.code, code, error.message);
  });

  it('names the timeout and the constraint, never values', () => {
    assert.equal(
      classify(pgError('57014'), 1_500)?.message,
      'database query timed out (statement timeout 1500 ms)',
    );
    const conflict = classify(
      pgError('23505', { constraint: 'items_name_key', detail: 'Key (name)=(secret) exists' }),
      1,
    );
    assert.equal(
      conflict?.message,
      'a row with the same unique key already exists (constraint items_name_key)',
    );
  });

  it('lets everything else propagate as it is', () => {
    const syntax = pgError('42601');
    assert.equal(classify(syntax, 1), null);
    assert.equal(toDbError(syntax, 1), syntax);
    assert.equal(classify(new TypeError('bug'), 1), null);
    assert.equal(classify('a string', 1), null);
    const own = new AppError('NOT_FOUND', 'no such item');
    assert.equal(toDbError(own, 1), own);
  });

  it('scrubs row values from an error PostgreSQL sent that nothing maps, keeping its class and names', () => {
    class DatabaseError extends Error {}
    const sent = (code: string, message: string, extra: Record<string, unknown>): Error =>
      Object.assign(new DatabaseError(message), { code, severity: 'ERROR', ...extra });
    const notNull = sent(
      '23502',
      'null value in column "name" of relation "items" violates not-null constraint',
      {
        detail: 'Failing row contains (3, null, card 4111111111111111).',
        where: 'SQL function "f" statement 1',
        internalQuery: "SELECT 'card 4111111111111111'",
        table: 'items',
        column: 'name',
        schema: 'public',
      },
    );
    const out = toDbError(notNull, 1);
    assert.ok(out instanceof DatabaseError);
    assert.notEqual(out, notNull);
    assert.equal(out.message, notNull.message); // names only: kept
    assert.equal(errorCode(out), '23502');
    assert.deepEqual(
      { table: (out as { table?: string }).table, column: (out as { column?: string }).column },
      { table: 'items', column: 'name' },
    );
    const shown = JSON.stringify({ ...out, message: out.message, stack: out.stack });
    assert.doesNotMatch(shown, /4111|Failing row|statement 1/);
    const badInput = toDbError(sent('22P02', 'invalid input syntax for type bigint: "secret-id"', {}), 1);
    assert.ok(badInput instanceof Error);
    assert.equal(badInput.message, 'invalid input syntax for type bigint: "…"');
    assert.doesNotMatch(badInput.stack ?? '', /secret-id/);
    const quoted = toDbError(sent('22P02', 'invalid input syntax for type integer: "a"b-secret"', {}), 1);
    assert.ok(quoted instanceof Error);
    assert.equal(quoted.message, 'invalid input syntax for type integer: "…"', 'a quote inside the value');
  });

  it('keeps the pg error as the cause, and still sees its code through the AppError', () => {
    const original = pgError('40001');
    const mapped = toDbError(original, 1);
    assert.ok(mapped instanceof AppError);
    assert.equal(mapped.code, 'CONFLICT');
    assert.equal(mapped.cause, original);
    assert.equal(errorCode(mapped), '40001');
    assert.equal(isRetryable(mapped), true);
    assert.equal(isRetryable(original), true);
    assert.equal(isRetryable(pgError('40P01')), true);
    assert.equal(isRetryable(pgError('23505')), false);
    assert.equal(isRetryable(new Error('no code')), false);
  });

  it('keeps a connection after an error of the statement, not after one of the connection', () => {
    const server = (code: string, severity = 'ERROR') => pgError(code, { severity });
    for (const kept of [server('23505'), server('57014'), server('42601'), server('40001'), server('22P02')])
      assert.equal(connectionUsable(kept), true, kept.message);
    const dropped: unknown[] = [
      server('57P01', 'FATAL'), // terminated by an administrator
      server('08006'), // connection failure
      server('53300', 'FATAL'), // too many connections
      server('XX000', 'PANIC'),
      server('57P01', 'FATALE'), // a FATAL in the server's language (lc_messages=it): its code says it
      server('25P03', 'SCHWERWIEGEND'), // idle_in_transaction_session_timeout, in German
      Object.assign(new Error('Query read timeout'), {}), // pg's own query_timeout: the statement runs on
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      pgError('23505'), // no severity: not what the server sent
      'a string',
    ];
    for (const error of dropped) assert.equal(connectionUsable(error), false, String(error));
  });

  it('redacts the password, raw and percent-encoded, and the whole URL', () => {
    const url = 'postgres://app:p%40ss%2Fw0rd@db:5432/app';
    assert.equal(redact(`connect ${url} failed`, url), 'connect *** failed');
    assert.equal(redact('auth with p@ss/w0rd failed', url), 'auth with *** failed');
    assert.equal(redact('auth with p%40ss%2Fw0rd failed', url), 'auth with *** failed');
    assert.equal(redact('nothing secret here', 'postgres://app@db/app'), 'nothing secret here');
    assert.equal(redact('not-a-url seen', 'not-a-url'), '*** seen');
    const inQuery = 'postgres://app@db/app?sslmode=require&password=qu3ry-pw';
    assert.equal(redact('password qu3ry-pw rejected', inQuery), 'password *** rejected');
  });
});
