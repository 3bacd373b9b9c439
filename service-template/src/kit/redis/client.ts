// The node-redis (redis 6.3.1) client behind the cache: no offline queue (while the connection is down a
// command fails at once instead of waiting for the reconnection), a bounded command queue, reconnection
// forever with capped exponential backoff, and an 'error' listener always attached (node-redis emits one on
// every failed attempt; without a listener it would crash the process).
import { createClient } from 'redis';
import type { OutageState } from './outage.js';
import { reconnectDelay, type RedisSettings } from './settings.js';

export interface ClientOptions {
  readonly settings: RedisSettings;
  /** CLIENT SETNAME, so `CLIENT LIST` shows which service a connection is. */
  readonly name: string;
  readonly outage: OutageState;
  readonly random?: () => number;
}

// The return type is inferred: createClient's generics (RESP 3, the default modules) are the ones it picked.
export function createRedisClient(options: ClientOptions) {
  const { settings, outage } = options;
  const random = options.random ?? Math.random;
  const client = createClient({
    url: settings.REDIS_URL,
    name: options.name,
    disableOfflineQueue: true,
    commandsQueueMaxLength: settings.CACHE_MAX_PENDING_COMMANDS,
    // node-redis's own per-command timeout (5 s by default) covers only a command not yet written and costs
    // an AbortSignal.timeout per command; commands.ts bounds the whole call (write and reply) instead.
    commandOptions: { timeout: 0 },
    socket: {
      connectTimeout: settings.REDIS_CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries) =>
        reconnectDelay(retries, settings.REDIS_RECONNECT_MAX_DELAY_MS, random()),
    },
  });
  client.on('error', (error: unknown) => {
    outage.failed(error);
  });
  client.on('ready', () => {
    outage.recovered();
  });
  return client;
}

export type RedisClient = ReturnType<typeof createRedisClient>;

/**
 * Start connecting and wait for the first attempt only (ready, or failed, or REDIS_CONNECT_TIMEOUT_MS): the
 * service starts either way and the client keeps reconnecting in the background. True when ready.
 */
export async function connectInBackground(client: RedisClient, timeoutMs: number): Promise<boolean> {
  let settle: (ready: boolean) => void = () => undefined;
  const first = new Promise<boolean>((resolve) => {
    settle = resolve;
  });
  const onReady = (): void => {
    settle(true);
  };
  const onError = (): void => {
    settle(false);
  };
  client.once('ready', onReady);
  client.once('error', onError);
  const timer = setTimeout(() => {
    settle(false);
  }, timeoutMs);
  // connect() resolves once ready, however many attempts that takes; it rejects only when closed first.
  client.connect().catch(() => undefined);
  try {
    return await first;
  } finally {
    clearTimeout(timer);
    client.off('ready', onReady);
    client.off('error', onError);
  }
}

/** Let pending commands finish (at most `timeoutMs`), then drop the connection and stop reconnecting. */
export async function closeClient(client: RedisClient, timeoutMs: number): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) {
    client.destroy();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => {
      resolve('late');
    }, timeoutMs);
  });
  const outcome = await Promise.race([client.close().then(() => 'closed' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') client.destroy();
}
