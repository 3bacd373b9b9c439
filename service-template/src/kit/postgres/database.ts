// The handle routes use: typed queries (queryable.ts) and transactions retried on serialization failures
// and deadlocks (transaction.ts) over one pg.Pool.
import type { Pool } from 'pg';
import { poolRunner } from './checkout.js';
import type { DbMetrics } from './metrics.js';
import { queryable, type Queryable } from './queryable.js';
import type { Isolation } from './sql.js';
import { runTransaction } from './transaction.js';

export type { Queryable } from './queryable.js';

export interface TransactionOptions {
  /** Default: DB_TX_ISOLATION (serializable). */
  readonly isolation?: Isolation;
  /** Runs after the first attempt on a serialization failure or deadlock. Default: DB_TX_RETRIES. */
  readonly retries?: number;
  readonly readOnly?: boolean;
}

export interface Database extends Queryable {
  /**
   * Run `fn` in a transaction: BEGIN, `fn`, COMMIT; ROLLBACK when `fn` throws (the error is rethrown).
   * On a serialization failure (40001) or deadlock (40P01) the whole of `fn` runs again, after a jittered
   * pause, up to `retries` times, so `fn` must only touch the database through `tx` (or be idempotent).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

export interface DatabaseOptions {
  readonly statementTimeoutMs: number;
  readonly isolation: Isolation;
  readonly retries: number;
}

export function createDatabase(pool: Pool, metrics: DbMetrics, options: DatabaseOptions): Database {
  return {
    ...queryable(poolRunner(pool), metrics, options.statementTimeoutMs),
    transaction: (fn, txOptions = {}) =>
      runTransaction(pool, fn, {
        isolation: txOptions.isolation ?? options.isolation,
        retries: txOptions.retries ?? options.retries,
        readOnly: txOptions.readOnly ?? false,
        statementTimeoutMs: options.statementTimeoutMs,
        metrics,
      }),
  };
}
