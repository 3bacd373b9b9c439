// The part's Prometheus metrics (prefix db_): pool gauges read from the pool when scraped, a query duration
// histogram by operation (SELECT, INSERT, … never the SQL text), errors by kind, transaction retries.
import { Counter, Gauge, Histogram, type Registry } from '@prometheus-io/client';

/** Seconds, 1 ms to 10 s: database calls are usually fast, and the statement timeout bounds the tail. */
export const DB_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the gauges read: pg.Pool's counters. */
export interface PoolCounters {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

export interface DbMetrics {
  /** One finished query: its operation, seconds taken, and the AppError code (or OTHER) if it failed. */
  observe(operation: string, seconds: number, error?: string): void;
  retried(): void;
}

export function createDbMetrics(registry: Registry, pool: PoolCounters, max: number): DbMetrics {
  const registers = [registry];
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state: in_use (lent to a query or transaction) or idle.',
    labelNames: ['state'] as const,
    registers,
    collect() {
      this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      this.set({ state: 'idle' }, pool.idleCount);
    },
  });
  new Gauge({
    name: 'db_pool_pending_requests',
    help: 'Queries and transactions waiting for a pool connection.',
    registers,
    collect() {
      this.set(pool.waitingCount);
    },
  });
  new Gauge({ name: 'db_pool_max_connections', help: 'The pool size (DB_POOL_MAX).', registers }).set(max);
  const duration = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Database query duration in seconds (waiting for a connection included), by operation.',
    labelNames: ['operation'] as const,
    buckets: DB_BUCKETS,
    registers,
  });
  const errors = new Counter({
    name: 'db_query_errors_total',
    help: 'Failed database queries by operation and error: UNAVAILABLE, TIMEOUT, CONFLICT or OTHER.',
    labelNames: ['operation', 'error'] as const,
    registers,
  });
  const retries = new Counter({
    name: 'db_transaction_retries_total',
    help: 'Transactions run again after a serialization failure or deadlock.',
    registers,
  });
  return {
    observe(operation, seconds, error) {
      duration.observe({ operation }, seconds);
      if (error !== undefined) errors.inc({ operation, error });
    },
    retried() {
      retries.inc();
    },
  };
}
