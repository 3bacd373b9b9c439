// query/execute over the pool (checkout.ts) or a transaction's client: timed by operation (metrics.ts), errors mapped
// to AppErrors (errors.ts).
import type { QueryResult, QueryResultRow } from 'pg';
import { AppError } from '../../errors.js';
import { toDbError } from './errors.js';
import type { Runner } from './checkout.js';
import type { DbMetrics } from './metrics.js';
import { operationOf } from './sql.js';

/** What a query runs on: the pool, or a transaction's client. */
export interface Queryable {
  /** The rows of a parameterised statement (`$1`, `$2`, …); values are never put into the SQL text. */
  query<Row extends QueryResultRow = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
  /** The number of rows a statement changed (INSERT, UPDATE, DELETE without RETURNING). */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** query/execute on a pool or client, timed and with mapped errors; `live` false once a transaction ended. */
export function queryable(
  runner: Runner,
  metrics: DbMetrics,
  timeoutMs: number,
  live: () => boolean = () => true,
): Queryable {
  // Plain promise chains, not async functions: one hop beyond pg's own promise (this is the hot path).
  const run = <Row extends QueryResultRow, Out>(
    sql: string,
    params: readonly unknown[] | undefined,
    pick: (result: QueryResult<Row>) => Out,
  ): Promise<Out> => {
    if (!live()) {
      return Promise.reject(
        new Error('this transaction has finished: use the database handle, not a kept tx'),
      );
    }
    const operation = operationOf(sql);
    const start = performance.now();
    return runner.query<Row>(sql, params as unknown[] | undefined).then(
      (result) => {
        metrics.observe(operation, (performance.now() - start) / 1_000);
        return pick(result);
      },
      (error: unknown) => {
        const mapped = toDbError(error, timeoutMs);
        const kind = mapped instanceof AppError ? mapped.code : 'OTHER';
        metrics.observe(operation, (performance.now() - start) / 1_000, kind);
        throw mapped;
      },
    );
  };
  return {
    query: <Row extends QueryResultRow>(sql: string, params?: readonly unknown[]) =>
      run(sql, params, (result: QueryResult<Row>) => result.rows),
    execute: (sql, params) => run(sql, params, (result) => result.rowCount ?? 0),
  };
}
