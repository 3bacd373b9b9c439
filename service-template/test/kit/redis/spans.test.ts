import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { startTelemetry, withSpan, type Telemetry } from '../../../src/telemetry/index.js';
import { realServer } from '../servers.js';
import { inspector, sample, startCache, uniquePrefix, type CacheUnderTest } from './harness.js';

const redis = realServer('TEST_REDIS_URL', 'Redis 7');

describe('cache spans and error replies on a real Redis', { skip: redis.skip }, () => {
  const exporter = new InMemorySpanExporter();
  let telemetry: Telemetry;
  let under: CacheUnderTest;
  const prefix = uniquePrefix();

  before(async () => {
    telemetry = startTelemetry({ serviceName: 'svc', serviceVersion: '1', environment: 'test', exporter });
    under = await startCache({ REDIS_URL: redis.url, CACHE_PREFIX: prefix });
  });
  after(async () => {
    await under.part.close();
    await telemetry.shutdown();
  });

  it('traces each command as a CLIENT span per the OTel database conventions, without key or value', async () => {
    exporter.reset();
    await withSpan(trace.getTracer('test'), 'GET /orders/:id', {}, async () => {
      await under.cache.set('order:secret-customer@example.com', { total: 12 });
      await under.cache.get('order:secret-customer@example.com');
      await under.cache.delete('order:secret-customer@example.com');
    });
    const spans = exporter.getFinishedSpans();
    const parent = spans.find((s) => s.name === 'GET /orders/:id');
    const redisSpans = spans.filter((s) => s.attributes['db.system.name'] === 'redis');
    assert.deepEqual(
      redisSpans.map((s) => s.name),
      ['SET', 'GET', 'DEL'],
    );
    const port = Number(new URL(redis.url).port);
    for (const s of redisSpans) {
      assert.equal(s.kind, SpanKind.CLIENT);
      assert.equal(s.parentSpanContext?.spanId, parent?.spanContext().spanId, 'a child of the caller');
      assert.deepEqual(s.attributes, {
        'db.system.name': 'redis',
        'db.operation.name': s.name,
        'server.address': '127.0.0.1',
        'server.port': port,
        'db.namespace': '0',
      });
    }
    assert.ok(!JSON.stringify(redisSpans.map((s) => s.attributes)).includes('example.com'));
  });

  it('an error reply is a failed span, a counted error and a miss, not an outage', async () => {
    const direct = await inspector(redis.url);
    try {
      await direct.lPush(`${prefix}a-list`, 'x');
      exporter.reset();
      assert.equal(await under.cache.get('a-list'), undefined);
      const [span] = exporter.getFinishedSpans();
      assert.equal(span?.status.code, SpanStatusCode.ERROR);
      assert.equal(span.attributes['error.type'], 'WRONGTYPE');
      assert.equal(span.attributes['db.response.status_code'], 'WRONGTYPE');
      assert.equal(await sample(under.registry, 'cache_errors_total{operation="get"}'), 1);
      assert.equal(await sample(under.registry, 'cache_redis_up'), 1, 'Redis answered: it is up');
      assert.equal(under.logs.filter((l) => String(l.msg).startsWith('redis unavailable')).length, 0);
      assert.equal(under.logs.filter((l) => String(l.msg).startsWith('redis answered')).length, 1);
      // wrap serves its loader instead.
      assert.equal(await under.cache.wrap('a-list', 30, () => Promise.resolve('fresh')), 'fresh');
    } finally {
      await direct.del(`${prefix}a-list`);
      direct.destroy();
    }
  });
});
