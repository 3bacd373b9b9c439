import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { realServer } from '../servers.js';
import { sample, startCache, uniquePrefix, until, type CacheUnderTest } from './harness.js';
import { tcpProxy, type TcpProxy } from '../tcp-proxy.js';

const redis = realServer('TEST_REDIS_URL', 'Redis 7');
const TIMEOUT_MS = 200;
const SLACK_MS = 250;

describe(
  'a stalled Redis (connection open, no answers) costs a call at most the command timeout',
  {
    skip: redis.skip,
  },
  () => {
    let proxy: TcpProxy;
    let under: CacheUnderTest;

    before(async () => {
      const u = new URL(redis.url);
      proxy = await tcpProxy({ host: u.hostname, port: Number(u.port) });
      under = await startCache({
        REDIS_URL: proxy.via(redis.url),
        CACHE_PREFIX: uniquePrefix(),
        CACHE_COMMAND_TIMEOUT_MS: String(TIMEOUT_MS),
        CACHE_MAX_PENDING_COMMANDS: '50',
      });
    });
    after(async () => {
      proxy.resume();
      await under.part.close();
      await proxy.close();
    });

    it('gives up after the timeout, serves the loader, bounds what it leaves pending, and recovers', async () => {
      const { cache, registry } = under;
      assert.equal(await cache.set('k', 'v'), true);
      proxy.stall();

      let started = performance.now();
      assert.equal(await cache.get('k'), undefined);
      const ms = performance.now() - started;
      assert.ok(ms >= TIMEOUT_MS - 5 && ms < TIMEOUT_MS + SLACK_MS, `a stalled get took ${ms.toFixed(0)} ms`);

      started = performance.now();
      assert.equal(await cache.wrap('k', 60, () => Promise.resolve('loaded')), 'loaded');
      assert.ok(performance.now() - started < TIMEOUT_MS + SLACK_MS);

      // 200 calls against a pending bound of 50: the rest are refused at once, none waits past the timeout.
      started = performance.now();
      const settledAt: number[] = [];
      const many = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const value = await cache.get(`k${String(i)}`);
          settledAt.push(performance.now() - started);
          return value;
        }),
      );
      assert.ok(many.every((v) => v === undefined));
      assert.ok(performance.now() - started < TIMEOUT_MS + SLACK_MS);
      // Refused at once: settled before the timeout could end them (the 50 admitted wait it out).
      // Without the bound all 200 would wait for the timeout together.
      const atOnce = settledAt.filter((at) => at < TIMEOUT_MS * 0.9).length;
      assert.ok(atOnce >= 140, `only ${String(atOnce)} of 200 were refused at once`);
      assert.ok(((await sample(registry, 'cache_errors_total{operation="get"}')) ?? 0) >= 201);
      assert.equal(
        under.logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('redis unavailable')).length,
        1,
      );

      proxy.resume();
      await until('the cache to answer again', async () => (await cache.get('k')) === 'v');
      assert.equal(under.logs.filter((l) => l.msg === 'redis available again').length, 1);
    });
  },
);
