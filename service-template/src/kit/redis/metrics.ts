import { Counter, Gauge, Histogram, type Registry } from '@prometheus-io/client';

/** The cache's methods, the only label of its hit, miss and error counters (never the key). */
export type CacheOperation = 'get' | 'set' | 'delete' | 'wrap';
/** The Redis commands the cache sends. */
export type RedisCommand = 'GET' | 'SET' | 'DEL' | 'PING';

interface Inc {
  inc(): void;
}
interface Observe {
  observe(value: number): void;
}

export interface CacheMetrics {
  readonly hits: Readonly<Record<'get' | 'wrap', Inc>>;
  readonly misses: Readonly<Record<'get' | 'wrap', Inc>>;
  /** A call that could not use Redis (down, slow, full queue, an error reply, an unreadable value). */
  readonly errors: Readonly<Record<CacheOperation, Inc>>;
  /** wrap calls that joined a lookup or load already in flight for their key, instead of starting one. */
  readonly coalesced: Inc;
  readonly commandSeconds: Readonly<Record<RedisCommand, Observe>>;
  readonly loaderSeconds: Readonly<Record<'ok' | 'error', Observe>>;
}

/** Sub-millisecond to half a second: a cache command on a healthy network takes well under a millisecond. */
const COMMAND_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5];
const LOADER_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The cache's metrics on `registry`, named cache_*; children are resolved once here so a call costs a
 * counter increment, not a label lookup. `isUp` is read at scrape time for cache_redis_up.
 */
export function createCacheMetrics(registry: Registry, isUp: () => boolean): CacheMetrics {
  const registers = [registry];
  const counter = (name: string, help: string) =>
    new Counter({ name, help, labelNames: ['operation'] as const, registers });
  const hits = counter('cache_hits_total', 'Cache lookups that found a value, by cache operation.');
  const misses = counter('cache_misses_total', 'Cache lookups that found no value, by cache operation.');
  const errors = counter(
    'cache_errors_total',
    'Cache calls that could not use Redis and degraded (miss, dropped write, loader), by cache operation.',
  );
  const coalesced = new Counter({
    name: 'cache_wrap_coalesced_total',
    help: 'wrap calls that joined a lookup or load already in flight for the same key (single-flight).',
    registers,
  });
  const commands = new Histogram({
    name: 'cache_command_duration_seconds',
    help: 'Redis command duration in seconds, by command, failures and timeouts included.',
    labelNames: ['command'] as const,
    buckets: COMMAND_BUCKETS,
    registers,
  });
  const loader = new Histogram({
    name: 'cache_loader_duration_seconds',
    help: 'Duration of the loaders wrap ran on a miss, in seconds, by outcome (ok, error).',
    labelNames: ['outcome'] as const,
    buckets: LOADER_BUCKETS,
    registers,
  });
  new Gauge({
    name: 'cache_redis_up',
    help: '1 while the Redis connection is ready, else 0 (the cache then degrades to its loaders).',
    registers,
    collect() {
      this.set(isUp() ? 1 : 0);
    },
  });
  const by = <K extends string, T>(keys: readonly K[], child: (k: K) => T): Record<K, T> =>
    Object.fromEntries(keys.map((k) => [k, child(k)])) as Record<K, T>;
  const lookups = ['get', 'wrap'] as const;
  const operations = ['get', 'set', 'delete', 'wrap'] as const;
  return {
    hits: by(lookups, (operation) => hits.labels({ operation })),
    misses: by(lookups, (operation) => misses.labels({ operation })),
    errors: by(operations, (operation) => errors.labels({ operation })),
    coalesced,
    commandSeconds: by(['GET', 'SET', 'DEL', 'PING'] as const, (command) => commands.labels({ command })),
    loaderSeconds: by(['ok', 'error'] as const, (outcome) => loader.labels({ outcome })),
  };
}
