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
  /** Give the connection back; `usable` false (or its failure heard meanwhile) closes it instead. */
  done(usable: boolean): void;
}

/** A connection from the pool (waiting up to its connect timeout), its failure heard while it is taken. */
export async function checkout(pool: Pool): Promise<Checkout> {
  const client = await pool.connect();
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
      client.release(failed || !usable);
    },
  };
}

/** What queryable() runs statements on. */
export interface Runner {
  query<Row extends QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
}

/** One statement on a connection of the pool, which stays pooled when the statement's error left it usable. */
export function poolRunner(pool: Pool): Runner {
  return {
    query: <Row extends QueryResultRow>(sql: string, params?: unknown[]) =>
      checkout(pool).then(({ client, done }) =>
        client.query<Row>(sql, params).then(
          (result) => {
            done(true);
            return result;
          },
          (error: unknown) => {
            done(connectionUsable(error));
            throw error;
          },
        ),
      ),
  };
}
