// A connection taken from the pool for one statement or one transaction, and given back: kept for the
// next caller unless it broke. pg-pool's own pool.query() destroys a connection on any error, a unique
// violation or a statement timeout too, so every such error cost a new connection (TCP, then SCRAM
// authentication); and pg-pool listens for a connection's failure only while it is idle, so one that
// fails while taken (the database restarting, a network drop, an administrator's pg_terminate_backend)
// emitted an 'error' event nobody heard, which ends the process.
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { connectionUsable } from './errors.js';

export interface Checkout {
  readonly client: PoolClient;
  /**
   * Give the connection back. It is closed instead when `usable` is false, when its failure was heard
   * meanwhile, or when it is not idle: a transaction left open or aborted (`BEGIN; …` sent as one
   * statement, whose error skipped its COMMIT) would reach the next caller.
   */
  done(usable: boolean): void;
}

/** A connection from the pool (waiting up to its connect timeout), its failure heard while it is taken. */
export async function checkout(pool: Pool): Promise<Checkout> {
  return hold(await pool.connect());
}

/** `client`, just taken from the pool, with its failure heard until it is given back. */
function hold(client: PoolClient): Checkout {
  let failed = false;
  // The failure also fails the statement in flight, which the caller sees: nothing else to say here.
  const onError = (): void => {
    failed = true;
  };
  client.on('error', onError);
  return {
    client,
    done(usable) {
      client.removeListener('error', onError);
      client.release(failed || !usable || client.getTransactionStatus() !== 'I');
    },
  };
}

/** What queryable() runs statements on. */
export interface Runner {
  query<Row extends QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
}

/**
 * One statement on a connection of the pool, which stays pooled when the statement's error left it usable.
 * Callbacks, not promises, up to the one it returns: this is every query's path.
 */
export function poolRunner(pool: Pool): Runner {
  return {
    query: <Row extends QueryResultRow>(sql: string, params?: unknown[]) =>
      new Promise<QueryResult<Row>>((resolve, reject) => {
        pool.connect((connectError, client) => {
          if (connectError instanceof Error || client === undefined) {
            reject(connectError ?? new Error('the pool gave no connection'));
            return;
          }
          const { done } = hold(client);
          try {
            client.query<Row>(sql, params ?? [], (error, result) => {
              if (error) afterError(client, done, error, params).catch(reject);
              else {
                done(true);
                resolve(result);
              }
            });
          } catch (error) {
            done(false); // pg throws at once for what it cannot send (no SQL at all)
            reject(error);
          }
        });
      }),
  };
}

/**
 * Give a connection back after its statement failed, then rethrow. Without parameters pg sends the
 * statement as a simple query, which may be several (`BEGIN; INSERT …; COMMIT`): an error among them
 * leaves the transaction aborted, and pg reports the error before the server says so (ReadyForQuery). An
 * empty query queued behind it succeeds in any state and brings the session's state back; a ROLLBACK
 * follows only when a transaction is left (one sent outside any has the server log a warning). The
 * connection is kept if both succeed. With parameters the statement is one, run outside any transaction
 * (connections come back idle).
 */
function afterError(
  client: PoolClient,
  done: Checkout['done'],
  error: unknown,
  params?: unknown[],
): Promise<never> {
  const usable = connectionUsable(error);
  if (!usable || (params !== undefined && params.length > 0)) {
    done(usable);
    return Promise.reject(error);
  }
  return client
    .query('')
    .then(() => (client.getTransactionStatus() === 'I' ? undefined : client.query('ROLLBACK')))
    .then(
      () => {
        done(true);
        throw error;
      },
      () => {
        done(false);
        throw error;
      },
    );
}
