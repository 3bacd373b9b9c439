import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { realServer } from '../servers.js';
import { inspector, sample, startCache, uniquePrefix, until, type CacheUnderTest } from './harness.js';

const redis = realServer('TEST_REDIS_URL', 'Redis 7');

describe('cache on a real Redis', { skip: redis.skip }, () => {
  let under: CacheUnderTest;
  let direct: Awaited<ReturnType<typeof inspector>>;
  const prefix = uniquePrefix();

  before(async () => {
    under = await startCache({ REDIS_URL: redis.url, CACHE_PREFIX: prefix, CACHE_DEFAULT_TTL_SECONDS: '60' });
    direct = await inspector(redis.url);
  });
  after(async () => {
    await under.part.close();
    direct.destroy();
  });

  it('stores JSON under the prefixed key with the default TTL, and reads it back', async () => {
    const value = { id: 7, name: 'Ada', tags: ['a', 'b'], nested: { ok: true, none: null } };
    assert.equal(await under.cache.set('user:7', value), true);
    assert.deepEqual(await under.cache.get('user:7'), value);
    assert.equal(await direct.get(`${prefix}user:7`), JSON.stringify(value));
    assert.equal(await direct.exists('user:7'), 0, 'nothing is written without the prefix');
    const ttl = await direct.ttl(`${prefix}user:7`);
    assert.ok(ttl > 0 && ttl <= 60, `TTL ${String(ttl)} is the default 60 s`);
  });

  it('round-trips every JSON type, null included, and tells a miss by undefined', async () => {
    for (const [key, value] of [
      ['s', 'text'],
      ['n', 42.5],
      ['b', false],
      ['z', null],
      ['a', [1, 'two', null]],
    ] as const) {
      await under.cache.set(key, value);
      assert.deepEqual(await under.cache.get(key), value, key);
    }
    assert.equal(await under.cache.get('never-set'), undefined);
  });

  it('deletes a key (true when Redis confirmed it, whether or not it existed)', async () => {
    await under.cache.set('gone', 1);
    assert.equal(await under.cache.delete('gone'), true);
    assert.equal(await direct.exists(`${prefix}gone`), 0);
    assert.equal(await under.cache.get('gone'), undefined);
    assert.equal(await under.cache.delete('gone'), true);
  });

  it('expires an entry after its TTL', async () => {
    await under.cache.set('short', 'soon gone', 1);
    const pttl = await direct.pTTL(`${prefix}short`);
    assert.ok(pttl > 0 && pttl <= 1_000, `PTTL ${String(pttl)} ms is within the 1 s asked`);
    assert.equal(await under.cache.get('short'), 'soon gone');
    await until('the 1 s entry to expire', async () => (await under.cache.get('short')) === undefined, 3_000);
    assert.equal(await direct.exists(`${prefix}short`), 0);
  });

  it('rejects a TTL that is not a whole number of seconds ≥ 1, and a value JSON cannot encode', async () => {
    await assert.rejects(under.cache.set('k', 1, 0), RangeError);
    await assert.rejects(under.cache.set('k', 1, 1.5), RangeError);
    await assert.rejects(
      under.cache.wrap('k', -1, () => Promise.resolve(1)),
      RangeError,
    );
    await assert.rejects(under.cache.set('k', undefined), TypeError);
    await assert.rejects(under.cache.set('k', 10n), TypeError);
  });

  it('treats a value it cannot read as a miss, counted as an error', async () => {
    const before = (await sample(under.registry, 'cache_errors_total{operation="get"}')) ?? 0;
    await direct.set(`${prefix}foreign`, 'not json {');
    assert.equal(await under.cache.get('foreign'), undefined);
    assert.equal(await sample(under.registry, 'cache_errors_total{operation="get"}'), before + 1);
  });

  it('counts hits and misses by operation, never by key, in the registry text', async () => {
    const key = `metric-${randomUUID()}`;
    const hits = (await sample(under.registry, 'cache_hits_total{operation="get"}')) ?? 0;
    const misses = (await sample(under.registry, 'cache_misses_total{operation="get"}')) ?? 0;
    await under.cache.get(key);
    await under.cache.set(key, 1);
    await under.cache.get(key);
    await under.cache.get(key);
    assert.equal(await sample(under.registry, 'cache_hits_total{operation="get"}'), hits + 2);
    assert.equal(await sample(under.registry, 'cache_misses_total{operation="get"}'), misses + 1);
    assert.equal(await sample(under.registry, 'cache_redis_up'), 1);
    const text = await under.registry.metrics();
    assert.match(text, /cache_command_duration_seconds_count\{command="GET"\} \d+/);
    assert.ok(!text.includes(key), 'no key in any label');
    assert.ok(!text.includes(prefix), 'no prefix in any label');
  });
});

describe('cache key prefix default', { skip: redis.skip }, () => {
  it("is the service name and ':' when CACHE_PREFIX is unset", async () => {
    const service = `svc-${randomUUID().slice(0, 8)}`;
    const under = await startCache({ REDIS_URL: redis.url }, service);
    const direct = await inspector(redis.url);
    try {
      assert.equal(under.cache.prefix, `${service}:`);
      assert.equal(under.part.readiness, undefined, 'CACHE_READINESS is off by default: no /readyz check');
      await under.cache.set('k', { v: 1 });
      assert.equal(await direct.get(`${service}:k`), '{"v":1}');
      await under.cache.delete('k');
    } finally {
      await under.part.close();
      direct.destroy();
    }
  });
});
