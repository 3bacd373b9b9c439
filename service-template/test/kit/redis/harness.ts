// The redis part started as a service would start it, with an in-memory log and its own registry, plus a
// plain node-redis client straight to the server for looking at what the cache wrote.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { z } from 'zod';
import type { Registry } from '@prometheus-io/client';
import { redisSettings, startRedis, type Cache } from '../../../src/kit/redis/index.js';
import type { StartedPart } from '../../../src/kit/part.js';
import { createLogger, createRegistry } from '../../../src/telemetry/index.js';
import { jsonLines } from '../../helpers.js';

export interface CacheUnderTest {
  readonly part: StartedPart<Cache>;
  readonly cache: Cache;
  readonly registry: Registry;
  readonly logs: Record<string, unknown>[];
  /** Every log line as written, to look for secrets. */
  readonly raw: string[];
}

/** Settings as the service's config would parse them from `env`. */
export function settingsFrom(env: Record<string, string>) {
  return z.object(redisSettings).parse(env);
}

export async function startCache(
  env: Record<string, string>,
  serviceName = 'kit-test',
): Promise<CacheUnderTest> {
  const { logs, raw, destination } = jsonLines();
  const registry = createRegistry({ defaultMetrics: false });
  const logger = createLogger({ name: serviceName, level: 'info', destination });
  const part = await startRedis(settingsFrom(env), { serviceName, logger, registry });
  return { part, cache: part.handle, registry, logs, raw };
}

/** A prefix no other test uses, so tests never see each other's keys. */
export const uniquePrefix = (): string => `kit-test-${randomUUID()}:`;

/** A direct client (no proxy, no cache) to inspect keys; close it with `.destroy()`. */
export async function inspector(url: string) {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Wait for `condition` to hold, checking every 20 ms; throws with `what` after `ms`. */
export async function until(
  what: string,
  condition: () => Promise<boolean> | boolean,
  ms = 5_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${String(ms)} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** One sample's value from the registry's text exposition, e.g. `cache_hits_total{operation="get"}`. */
export async function sample(registry: Registry, series: string): Promise<number | undefined> {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
