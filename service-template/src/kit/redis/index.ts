// The redis part of the service kit: a cache (get, set, delete, wrap with single-flight) on Redis 7 through
// node-redis, degrading to the loader when Redis is down or slow. See docs/redis.md.
import { trace } from '@opentelemetry/api';
import type { CheckResult } from '../../app.js';
import { urlSecrets } from '../../telemetry/secret-values.js';
import type { PartDeps, StartedPart } from '../part.js';
import { createCache, type Cache } from './cache.js';
import { closeClient, connectInBackground, createRedisClient } from './client.js';
import { commandRunner } from './commands.js';
import { createCacheMetrics } from './metrics.js';
import { outageState, safeError } from './outage.js';
import { keyPrefix, type RedisSettings } from './settings.js';

export type { Cache } from './cache.js';
export { CacheTimeoutError, RedisUnavailableError } from './commands.js';
export { keyPrefix, reconnectDelay, redisSettings, type RedisSettings } from './settings.js';

/** The readiness PING's own limit: inside the probe's one second whatever the command timeout. */
const PING_TIMEOUT_MS = 500;
const CLOSE_TIMEOUT_MS = 1_000;

/** Where spans' server.* and db.namespace come from: the URL's host, port and database (never its password). */
function serverAttributes(url: string): Record<string, string | number> {
  const u = new URL(url);
  const database = u.pathname.length > 1 ? u.pathname.slice(1) : '0';
  return {
    'server.address': u.hostname.replace(/^\[(.*)\]$/, '$1'),
    'server.port': u.port === '' ? 6379 : Number(u.port),
    'db.namespace': database,
  };
}

/**
 * Connects to Redis without making the service wait for it: when Redis is down at start, the service starts
 * anyway, the cache degrades to its loaders and the client reconnects in the background.
 */
export async function startRedis(settings: RedisSettings, deps: PartDeps): Promise<StartedPart<Cache>> {
  const logger = deps.logger.child({ part: 'redis' });
  const secrets = urlSecrets(settings.REDIS_URL);
  const outage = outageState({ logger, secrets });
  const client = createRedisClient({ settings, name: deps.serviceName, outage });
  // Up: connected and the last command answered (a stalled connection is ready but not up).
  const metrics = createCacheMetrics(deps.registry, () => client.isReady && outage.up);
  let lastReplyLog = -Infinity;
  const runner = commandRunner({
    connection: client,
    timeoutMs: settings.CACHE_COMMAND_TIMEOUT_MS,
    metrics,
    outage,
    tracer: trace.getTracer('cache'),
    server: serverAttributes(settings.REDIS_URL),
    onErrorReply(error) {
      if (Date.now() - lastReplyLog < 60_000) return;
      lastReplyLog = Date.now();
      logger.warn({ error: safeError(error, secrets) }, 'redis answered a cache command with an error');
    },
  });
  const prefix = keyPrefix(settings, deps.serviceName);
  const cache = createCache({
    connection: {
      get: (key) => client.get(key),
      setEx: (key, value, ttl) => client.set(key, value, { expiration: { type: 'EX', value: ttl } }),
      del: (key) => client.del(key),
    },
    runner,
    metrics,
    prefix,
    defaultTtlSeconds: settings.CACHE_DEFAULT_TTL_SECONDS,
  });

  const ready = await connectInBackground(client, settings.REDIS_CONNECT_TIMEOUT_MS);
  // Not connected and no error either: a server that accepts and never answers. Said as any outage is
  // (one warning, readiness giving the reason, a line when it answers), not left to an info line.
  if (!ready && outage.up)
    outage.failed(
      new Error(`no answer within REDIS_CONNECT_TIMEOUT_MS (${settings.REDIS_CONNECT_TIMEOUT_MS} ms)`),
    );
  logger.info({ prefix, ready }, ready ? 'cache connected to redis' : 'cache started without redis');

  const ping = async (): Promise<CheckResult> => {
    if (!client.isReady) {
      const why = outage.lastError === undefined ? '' : ` (${outage.lastError.message})`;
      return { ready: false, reason: `not connected${why}; reconnecting in the background` };
    }
    const timer = new Promise<CheckResult>((resolve) =>
      setTimeout(
        () => resolve({ ready: false, reason: `no answer to PING within ${PING_TIMEOUT_MS} ms` }),
        PING_TIMEOUT_MS,
      ).unref(),
    );
    const answer = runner
      .run('PING', () => client.ping())
      .then(
        (reply): CheckResult =>
          reply === 'PONG'
            ? { ready: true }
            : { ready: false, reason: `PING answered ${reply.slice(0, 40)}` },
        (error: unknown): CheckResult => ({ ready: false, reason: safeError(error, secrets).message }),
      );
    return Promise.race([answer, timer]);
  };
  return {
    handle: cache,
    ...(settings.CACHE_READINESS === 'on' ? { readiness: { name: 'redis', check: ping } } : {}),
    close: () => closeClient(client, CLOSE_TIMEOUT_MS),
  };
}
