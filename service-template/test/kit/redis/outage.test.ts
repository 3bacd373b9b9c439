import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { realServer } from '../servers.js';
import { tcpProxy, type TcpProxy } from '../tcp-proxy.js';
import { sample, startCache, uniquePrefix, until, type CacheUnderTest } from './harness.js';

const redis = realServer('TEST_REDIS_URL', 'Redis 7');
const target = (url: string) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) });
const TIMEOUT_MS = 250;
/** What a degraded call may take on top of the command timeout on a busy machine (never fixed sleeps). */
const SLACK_MS = 250;

async function elapsed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

const warnings = (under: CacheUnderTest) =>
  under.logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('redis unavailable'));
/** What the part's /readyz check answers (undefined: the part has no check). */
const isReady = async (part: CacheUnderTest['part']): Promise<boolean | undefined> =>
  (await part.readiness?.check())?.ready;
const recoveries = (under: CacheUnderTest) => under.logs.filter((l) => l.msg === 'redis available again');

describe('a Redis outage degrades the cache, never the request', { skip: redis.skip }, () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  let proxy: TcpProxy;
  let under: CacheUnderTest | undefined;
  const password = redis.url ? decodeURIComponent(new URL(redis.url).password) : '';

  before(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  after(() => {
    process.off('unhandledRejection', onUnhandled);
  });
  beforeEach(async () => {
    proxy = await tcpProxy(target(redis.url));
  });
  afterEach(async () => {
    await under?.part.close();
    await proxy.close();
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
    // The test servers' Redis has a password; one without (a service's own CI) has nothing to leak.
    if (under && password !== '') {
      const text = under.raw.join('');
      assert.ok(!text.includes(password), 'the password is never logged');
      assert.ok(!text.includes(encodeURIComponent(password)), 'nor its URL-encoded form');
    }
    under = undefined;
  });

  const start = (extra: Record<string, string> = {}) =>
    startCache({
      REDIS_URL: proxy.via(redis.url),
      CACHE_PREFIX: uniquePrefix(),
      CACHE_COMMAND_TIMEOUT_MS: String(TIMEOUT_MS),
      REDIS_RECONNECT_MAX_DELAY_MS: '200',
      CACHE_READINESS: 'on',
      ...extra,
    });

  it('cut: get misses fast, writes report false, wrap serves its loader once; restored: hits again', async () => {
    under = await start();
    const { cache, part, registry } = under;
    assert.equal(await cache.set('kept', 'before the outage'), true);
    assert.equal(await isReady(part), true);

    await proxy.cut();
    const miss = await elapsed(() => cache.get('kept'));
    assert.equal(miss.value, undefined);
    assert.ok(miss.ms < TIMEOUT_MS + SLACK_MS, `a miss took ${miss.ms.toFixed(0)} ms`);
    // Once the client knows the connection is gone, calls fail at once: nothing waits for the timeout.
    await until('the client to notice', async () => (await isReady(part)) === false);
    const down = await part.readiness?.check();
    assert.match(down?.reason ?? '', /^not connected \(.+\); reconnecting in the background$/);
    const many = await elapsed(() => Promise.all(Array.from({ length: 200 }, () => cache.get('kept'))));
    assert.ok(many.value.every((v) => v === undefined));
    assert.ok(many.ms < TIMEOUT_MS, `200 misses took ${many.ms.toFixed(0)} ms: not failing fast`);

    let loads = 0;
    const loader = async (): Promise<string> => {
      loads += 1;
      await new Promise((resolve) => setImmediate(resolve));
      return 'from the loader';
    };
    const wrapped = await Promise.all(Array.from({ length: 100 }, () => cache.wrap('kept', 60, loader)));
    assert.ok(wrapped.every((v) => v === 'from the loader'));
    assert.equal(loads, 1, 'still single-flight while Redis is down');
    assert.equal(await cache.set('other', 1), false);
    assert.equal(await cache.delete('kept'), false);
    assert.equal(await isReady(part), false);

    assert.ok(((await sample(registry, 'cache_errors_total{operation="get"}')) ?? 0) >= 201);
    assert.equal(await sample(registry, 'cache_errors_total{operation="wrap"}'), 1);
    assert.equal(await sample(registry, 'cache_errors_total{operation="set"}'), 1);
    assert.equal(await sample(registry, 'cache_errors_total{operation="delete"}'), 1);
    assert.equal(await sample(registry, 'cache_redis_up'), 0);
    assert.equal(warnings(under).length, 1, 'one warning for the whole outage');

    await proxy.restore();
    await until('the cache to hit again', async () => (await cache.get('kept')) === 'before the outage');
    assert.equal(await isReady(part), true);
    assert.equal(await sample(registry, 'cache_redis_up'), 1);
    assert.equal(recoveries(under).length, 1);
    assert.equal(warnings(under).length, 1);
  });

  it('starts while Redis is down (readiness false, loader served) and connects once it is back', async () => {
    await proxy.cut();
    const started = await elapsed(() => start({ REDIS_CONNECT_TIMEOUT_MS: '1000' }));
    under = started.value;
    assert.ok(started.ms < 1_000 + SLACK_MS, `start took ${started.ms.toFixed(0)} ms`);
    const { cache, part } = under;
    assert.equal(await isReady(part), false);
    assert.equal(await cache.wrap('w', 60, () => Promise.resolve({ ok: true })).then((v) => v.ok), true);
    assert.equal(await cache.get('w'), undefined);
    assert.equal(warnings(under).length, 1);

    await proxy.restore();
    await until('readiness', async () => (await isReady(part)) === true);
    assert.equal(await cache.set('w', 'now cached'), true);
    assert.equal(await cache.get('w'), 'now cached');
  });

  it('a Redis that accepts but never answers: one warning saying so at start, and a line once it answers', async () => {
    proxy.stall();
    const silent = await start({ REDIS_CONNECT_TIMEOUT_MS: '500' });
    under = silent;
    const [warning, ...more] = warnings(silent);
    assert.match(JSON.stringify(warning), /no answer within REDIS_CONNECT_TIMEOUT_MS \(500 ms\)/);
    assert.deepEqual(more, []);
    const check = await silent.part.readiness?.check();
    assert.equal(check?.ready, false);
    proxy.resume();
    const { part } = silent;
    await until('readiness', async () => (await isReady(part)) === true);
    await until('the recovery line', () => recoveries(silent).length === 1);
  });

  it('a wrong password: the service starts, the cache degrades, and that password is not logged', async () => {
    const wrong = new URL(proxy.via(redis.url));
    wrong.password = 'not-the-password-%2F-x';
    under = await start({ REDIS_URL: wrong.toString(), REDIS_CONNECT_TIMEOUT_MS: '1000' });
    assert.equal(await under.cache.wrap('k', 5, () => Promise.resolve('loaded')), 'loaded');
    const check = await under.part.readiness?.check();
    assert.equal(check?.ready, false);
    assert.match(check?.reason ?? '', /^not connected \(.*(WRONGPASS|NOAUTH|AUTH)/, 'readiness says why');
    const warning = warnings(under)[0];
    assert.match(JSON.stringify(warning), /WRONGPASS|NOAUTH|AUTH/);
    const text = under.raw.join('');
    assert.ok(!text.includes('not-the-password'), 'the password is never logged');
  });

  it('closes promptly during an outage, and calls after close still degrade', async () => {
    under = await start();
    await proxy.cut();
    await until('the client to notice', async () => under !== undefined && !(await isReady(under.part)));
    const closed = await elapsed(() => under?.part.close() ?? Promise.resolve());
    assert.ok(closed.ms < 1_000, `close took ${closed.ms.toFixed(0)} ms`);
    assert.equal(await under.cache.get('x'), undefined);
    assert.equal(await under.cache.wrap('x', 5, () => Promise.resolve(3)), 3);
    under = undefined;
  });
});
