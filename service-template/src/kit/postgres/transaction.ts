// transaction(fn): BEGIN at the chosen isolation, fn, COMMIT; ROLLBACK when anything throws. A serialization
// failure (40001) or deadlock (40P01) runs fn again on the same connection after a jittered pause, a bounded
// number of times; what is left is mapped like any query error (errors.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanKind, trace } from '@opentelemetry/api';
import type { Pool, PoolClient } from 'pg';
import { withSpan } from '../../telemetry/index.js';
import { checkout, type Checkout } from './checkout.js';
import { queryable, type Queryable } from './queryable.js';
import { isRetryable, toDbError } from './errors.js';
import type { DbMetrics } from './metrics.js';
import { beginStatement, type Isolation } from './sql.js';

export interface RunOptions {
  readonly isolation: Isolation;
  readonly retries: number;
  readonly readOnly: boolean;
  readonly statementTimeoutMs: number;
  readonly metrics: DbMetrics;
}

/** The pause before retry `attempt` (1, 2, …): half of 20 ms × 2^(attempt-1), capped at 1 s, plus up to as much at random. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(1_000, 20 * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/** ROLLBACK; false when the connection is no longer usable (it is then destroyed, not pooled). */
async function rollback(client: PoolClient): Promise<boolean> {
  try {
    await client.query('ROLLBACK');
    return true;
  } catch {
    return false;
  }
}

export async function runTransaction<T>(
  pool: Pool,
  fn: (tx: Queryable) => Promise<T>,
  o: RunOptions,
): Promise<T> {
  const attributes = { 'db.system.name': 'postgresql', 'db.operation.name': 'TRANSACTION' };
  return withSpan(
    trace.getTracer('service-kit-postgres'),
    'TRANSACTION',
    { kind: SpanKind.INTERNAL, attributes },
    async (span) => {
      let taken: Checkout;
      try {
        taken = await checkout(pool);
      } catch (error) {
        throw toDbError(error, o.statementTimeoutMs);
      }
      const { client } = taken;
      let usable = true;
      try {
        for (let attempt = 0; ; attempt += 1) {
          let open = true;
          try {
            await client.query(beginStatement(o.isolation, o.readOnly));
            const result = await fn(queryable(client, o.metrics, o.statementTimeoutMs, () => open));
            const commit = await client.query('COMMIT');
            if (commit.command === 'ROLLBACK') {
              throw new Error(
                'the transaction was rolled back: a statement in it failed and fn caught its error',
              );
            }
            span.setAttribute('db.transaction.attempts', attempt + 1);
            return result;
          } catch (error) {
            open = false;
            usable = await rollback(client);
            if (usable && isRetryable(error) && attempt < o.retries) {
              o.metrics.retried();
              await sleep(backoffMs(attempt + 1));
              continue;
            }
            span.setAttribute('db.transaction.attempts', attempt + 1);
            throw toDbError(error, o.statementTimeoutMs);
          } finally {
            open = false;
          }
        }
      } finally {
        taken.done(usable);
      }
    },
  );
}
