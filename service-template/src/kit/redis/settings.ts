import { z } from 'zod';
import { cutShort, refuse, undecodable } from '../server-url.js';

const flag = z.enum(['on', 'off']);

/** The redis part's settings, merged into the service's config (src/config.ts) when the part is chosen. */
export const redisSettings = {
  /**
   * Where the cache lives: redis://[user:password@]host:port[/db] (rediss:// for TLS). Required.
   * It carries a password: it is never logged nor put in errors, spans or metrics.
   */
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' })
    .superRefine(refuse(cutShort, undecodable))
    // node-redis reads the path as the database number and throws "Invalid pathname" on anything else.
    .refine(
      (url) => !URL.canParse(url) || /^\/?(\d{1,5})?$/.test(new URL(url).pathname),
      'the path is a database number, e.g. redis://cache:6379/0 (or none)',
    ),
  /** Prepended to every key, so services can share a Redis. Unset: the service name and ':'. */
  CACHE_PREFIX: z.string().min(1).max(128).optional(),
  /** The TTL of `set` when none is given, in seconds. */
  CACHE_DEFAULT_TTL_SECONDS: z.coerce.number().int().min(1).max(2_592_000).default(300),
  /**
   * The most a cache command may take before the call gives up and degrades (a miss, a dropped write,
   * the loader): short, so a slow Redis never slows a request by more than this.
   */
  CACHE_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10).max(5_000).default(250),
  /** Commands sent but not yet answered, at most; past it calls fail fast (a hung Redis cannot pile them up). */
  CACHE_MAX_PENDING_COMMANDS: z.coerce.number().int().min(10).max(100_000).default(1_000),
  /** How long one connection attempt may take (TCP, TLS and AUTH), in milliseconds. */
  REDIS_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /** Reconnection backs off exponentially (50 ms, 100 ms, …, with jitter) up to this delay, in milliseconds. */
  REDIS_RECONNECT_MAX_DELAY_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /**
   * on: /readyz fails while Redis does not answer PING. off (default): a Redis outage leaves the service
   * ready, since every cache call degrades to its loader (see docs/redis.md).
   */
  CACHE_READINESS: flag.default('off'),
};

export type RedisSettings = z.infer<z.ZodObject<typeof redisSettings>>;

/**
 * The delay before reconnection attempt `retries` (0-based): 50 ms doubling up to `maxMs`, the upper half
 * of it random (so a fleet of services does not reconnect in lockstep). `random` is Math.random in use.
 */
export function reconnectDelay(retries: number, maxMs: number, random: number): number {
  const ceiling = Math.min(maxMs, 50 * 2 ** Math.min(retries, 20));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** The key prefix in use: CACHE_PREFIX, or the service name and ':'. */
export function keyPrefix(settings: Pick<RedisSettings, 'CACHE_PREFIX'>, serviceName: string): string {
  return settings.CACHE_PREFIX ?? `${serviceName}:`;
}
