// The cache the service's code uses: JSON values under prefixed keys, a TTL on every entry, and wrap() with
// single-flight per key. Redis failing never fails a call: get misses, set and delete report false, wrap
// calls its loader. Only the loader's own errors and programming errors (a bad TTL, a value JSON cannot
// encode) reach the caller.
import type { CommandRunner } from './commands.js';
import type { CacheMetrics } from './metrics.js';

export interface Cache {
  /** The prefix every key gets in Redis (CACHE_PREFIX, or the service name and ':'). */
  readonly prefix: string;
  /** The value stored under `key`, or undefined on a miss, or when Redis is down, slow or the value unreadable. */
  get<T>(key: string): Promise<T | undefined>;
  /** Store `value` as JSON for `ttlSeconds` (default CACHE_DEFAULT_TTL_SECONDS). False: not stored (Redis down). */
  set(key: string, value: unknown, ttlSeconds?: number): Promise<boolean>;
  /** Remove `key`. True once Redis confirmed it is gone (present or not); false when Redis could not be reached. */
  delete(key: string): Promise<boolean>;
  /**
   * The cached value, else `loader()`'s, stored for `ttlSeconds`. Concurrent calls for one key share one
   * lookup and one load (single-flight, first caller's TTL); a loader's error reaches every waiter and is
   * not cached. A result of undefined is returned but not cached.
   */
  wrap<T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T>;
}

/** The Redis commands the cache sends, on full (prefixed) keys. */
export interface CacheConnection {
  get(key: string): Promise<string | null>;
  setEx(key: string, value: string, ttlSeconds: number): Promise<unknown>;
  del(key: string): Promise<number>;
}

export interface CacheOptions {
  readonly connection: CacheConnection;
  readonly runner: CommandRunner;
  readonly metrics: CacheMetrics;
  readonly prefix: string;
  readonly defaultTtlSeconds: number;
}

/** A lookup that could not use Redis: treated as a miss, but wrap then skips its write too. */
const FAILED: unique symbol = Symbol('failed');
const MISS: unique symbol = Symbol('miss');

function checkTtl(ttlSeconds: number): number {
  if (Number.isInteger(ttlSeconds) && ttlSeconds >= 1) return ttlSeconds;
  throw new RangeError(`cache TTL must be a whole number of seconds ≥ 1, got ${String(ttlSeconds)}`);
}

function encode(key: string, value: unknown): string {
  const raw = JSON.stringify(value) as string | undefined;
  if (raw === undefined) {
    throw new TypeError(`cache value for "${key}" has no JSON form (undefined or a function): use delete()`);
  }
  return raw;
}

export function createCache(options: CacheOptions): Cache {
  const { connection, runner, metrics, prefix } = options;
  const flights = new Map<string, Promise<unknown>>();

  // A lookup: the value, or `miss` (none stored, or unreadable), or `failed` (Redis down, slow or erroring).
  // Not async: get() returns this very promise, one layer fewer on the hot path.
  const lookup = (key: string, operation: 'get' | 'wrap', miss: unknown, failed: unknown): Promise<unknown> =>
    runner
      .run('GET', () => connection.get(prefix + key))
      .then(
        (raw) => {
          if (raw === null) {
            metrics.misses[operation].inc();
            return miss;
          }
          try {
            const value: unknown = JSON.parse(raw);
            metrics.hits[operation].inc();
            return value;
          } catch {
            // Not written by this cache (or corrupted): as good as a miss; wrap's write will replace it.
            metrics.errors[operation].inc();
            return miss;
          }
        },
        () => {
          metrics.errors[operation].inc();
          return failed;
        },
      );

  const store = async (
    key: string,
    raw: string,
    ttl: number,
    operation: 'set' | 'wrap',
  ): Promise<boolean> => {
    try {
      await runner.run('SET', () => connection.setEx(prefix + key, raw, ttl));
      return true;
    } catch {
      metrics.errors[operation].inc();
      return false;
    }
  };

  const load = async <T>(loader: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const value = await loader();
      metrics.loaderSeconds.ok.observe((performance.now() - started) / 1_000);
      return value;
    } catch (error) {
      metrics.loaderSeconds.error.observe((performance.now() - started) / 1_000);
      throw error;
    }
  };

  // One flight per key: the lookup, the load on a miss, and the write, which keeps the flight open (so no
  // second load starts) but does not hold up the callers, who get the value as soon as it is loaded.
  const fly = async <T>(key: string, ttl: number, loader: () => Promise<T>): Promise<T> => {
    let land = true;
    try {
      const cached = await lookup(key, 'wrap', MISS, FAILED);
      if (cached !== MISS && cached !== FAILED) return cached as T;
      const value = await load(loader);
      if (cached === MISS && value !== undefined) {
        const raw = encode(key, value);
        land = false;
        void store(key, raw, ttl, 'wrap').finally(() => flights.delete(key));
      }
      return value;
    } finally {
      if (land) flights.delete(key);
    }
  };

  return {
    prefix,
    get<T>(key: string): Promise<T | undefined> {
      return lookup(key, 'get', undefined, undefined) as Promise<T | undefined>;
    },
    async set(key, value, ttlSeconds = options.defaultTtlSeconds) {
      const ttl = checkTtl(ttlSeconds);
      return store(key, encode(key, value), ttl, 'set');
    },
    async delete(key) {
      try {
        await runner.run('DEL', () => connection.del(prefix + key));
        return true;
      } catch {
        metrics.errors.delete.inc();
        return false;
      }
    },
    // async, so a bad TTL rejects like any other error; the flight is registered before the first await.
    async wrap<T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T> {
      const ttl = checkTtl(ttlSeconds);
      const inFlight = flights.get(key);
      if (inFlight !== undefined) {
        metrics.coalesced.inc();
        return (await inFlight) as T;
      }
      const flight = fly(key, ttl, loader);
      flights.set(key, flight);
      return await flight;
    },
  };
}
