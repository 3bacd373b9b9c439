import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { realServer } from '../servers.js';
import { inspector, sample, startCache, uniquePrefix, until, type CacheUnderTest } from './harness.js';

const redis = realServer('TEST_REDIS_URL', 'Redis 7');

/** A loader that counts its calls and answers once released, so every caller arrives while it is in flight. */
function gatedLoader<T>(result: () => T) {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const state = { calls: 0, release };
  const loader = async (): Promise<T> => {
    state.calls += 1;
    await gate;
    return result();
  };
  return { state, loader };
}

describe('wrap: single-flight per key on a real Redis', { skip: redis.skip }, () => {
  let under: CacheUnderTest;
  let direct: Awaited<ReturnType<typeof inspector>>;
  const prefix = uniquePrefix();

  before(async () => {
    under = await startCache({ REDIS_URL: redis.url, CACHE_PREFIX: prefix });
    direct = await inspector(redis.url);
  });
  after(async () => {
    await under.part.close();
    direct.destroy();
  });

  it('runs the loader once for 100 concurrent misses, gives all 100 the value, then serves hits', async () => {
    const { state, loader } = gatedLoader(() => ({ answer: 42 }));
    const calls = Array.from({ length: 100 }, () => under.cache.wrap('answer', 30, loader));
    await until('the loader to start', () => state.calls > 0);
    state.release();
    const results = await Promise.all(calls);
    assert.equal(state.calls, 1);
    assert.equal(results.length, 100);
    for (const r of results) assert.deepEqual(r, { answer: 42 });
    assert.equal(await sample(under.registry, 'cache_wrap_coalesced_total'), 99);
    assert.equal(await sample(under.registry, 'cache_misses_total{operation="wrap"}'), 1);

    await until('the loaded value to be written', async () => (await direct.exists(`${prefix}answer`)) === 1);
    const ttl = await direct.ttl(`${prefix}answer`);
    assert.ok(ttl > 0 && ttl <= 30, `TTL ${String(ttl)} is the 30 s asked`);
    let again = 0;
    const hit = await under.cache.wrap('answer', 30, () => {
      again += 1;
      return Promise.resolve({ answer: -1 });
    });
    assert.deepEqual(hit, { answer: 42 });
    assert.equal(again, 0, 'a hit does not load');
    assert.equal(await sample(under.registry, 'cache_hits_total{operation="wrap"}'), 1);
  });

  it('runs an instant loader once too: the lookup, the load and the write are one flight', async () => {
    let calls = 0;
    const loader = (): Promise<string> => {
      calls += 1;
      return Promise.resolve('instant');
    };
    const results = await Promise.all(
      Array.from({ length: 100 }, () => under.cache.wrap('instant', 30, loader)),
    );
    assert.equal(calls, 1);
    assert.ok(results.every((r) => r === 'instant'));
  });

  it('hands a loader error to every waiter, caches nothing, and loads again on the next call', async () => {
    const failure = new Error('the database said no');
    const { state, loader } = gatedLoader<string>(() => {
      throw failure;
    });
    const calls = Array.from({ length: 100 }, () => under.cache.wrap('flaky', 30, loader));
    await until('the loader to start', () => state.calls > 0);
    state.release();
    const outcomes = await Promise.allSettled(calls);
    assert.equal(state.calls, 1);
    for (const o of outcomes) {
      assert.equal(o.status, 'rejected');
      assert.equal(o.reason, failure);
    }
    assert.equal(await direct.exists(`${prefix}flaky`), 0, 'an error is not cached');
    assert.equal(await under.cache.wrap('flaky', 30, () => Promise.resolve('recovered')), 'recovered');
    assert.equal(await sample(under.registry, 'cache_loader_duration_seconds_count{outcome="error"}'), 1);
  });

  it('loads different keys independently', async () => {
    const a = gatedLoader(() => 'A');
    const b = gatedLoader(() => 'B');
    const calls = [
      under.cache.wrap('key-a', 30, a.loader),
      under.cache.wrap('key-b', 30, b.loader),
      under.cache.wrap('key-a', 30, a.loader),
    ];
    await until('both loaders to start', () => a.state.calls > 0 && b.state.calls > 0);
    a.state.release();
    b.state.release();
    assert.deepEqual(await Promise.all(calls), ['A', 'B', 'A']);
    assert.equal(a.state.calls, 1);
    assert.equal(b.state.calls, 1);
  });

  it('returns a loader result of undefined without caching it', async () => {
    assert.equal(await under.cache.wrap('nothing', 30, () => Promise.resolve(undefined)), undefined);
    assert.equal(await direct.exists(`${prefix}nothing`), 0);
  });
});
