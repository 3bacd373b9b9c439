import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { keyPrefix, reconnectDelay, redisSettings } from '../../../src/kit/redis/index.js';
import { outageState, safeError } from '../../../src/kit/redis/outage.js';
import { urlSecrets } from '../../../src/telemetry/secret-values.js';
import { recordingLogger } from '../recording-logger.js';

const schema = z.object(redisSettings);
const URL_WITH_SECRET = 'redis://default:s3cr%2Ft@cache:6379/2';

describe('redis settings', () => {
  it('needs only REDIS_URL; everything else has a safe default', () => {
    assert.deepEqual(schema.parse({ REDIS_URL: 'redis://cache:6379' }), {
      REDIS_URL: 'redis://cache:6379',
      CACHE_DEFAULT_TTL_SECONDS: 300,
      CACHE_COMMAND_TIMEOUT_MS: 250,
      CACHE_MAX_PENDING_COMMANDS: 1_000,
      REDIS_CONNECT_TIMEOUT_MS: 2_000,
      REDIS_RECONNECT_MAX_DELAY_MS: 2_000,
      CACHE_READINESS: 'off',
    });
  });

  it('accepts redis:// and rediss:// only, and never echoes the URL', () => {
    assert.equal(schema.safeParse({ REDIS_URL: 'rediss://u:p@cache:6380' }).success, true);
    assert.equal(schema.safeParse({}).success, false);
    const wrong = schema.safeParse({ REDIS_URL: 'http://user:hunter2@cache:6379' });
    assert.equal(wrong.success, false);
    assert.ok(!JSON.stringify(wrong.error?.issues.map((i) => i.message)).includes('hunter2'));
  });

  it('refuses a password that is not valid percent-encoding, saying how to write it', () => {
    const bare = schema.safeParse({ REDIS_URL: 'redis://default:100%zz@cache:6379' });
    assert.deepEqual(
      bare.error?.issues.map((i) => i.message),
      ['the user or password is not valid percent-encoding: write % as %25'],
    );
    assert.equal(schema.safeParse({ REDIS_URL: 'redis://default:100%25zz@cache:6379' }).success, true);
  });

  it('refuses a path that is not a database number, which node-redis would throw on at start', () => {
    const wrong = schema.safeParse({ REDIS_URL: 'redis://default:pw@cache:6379/cache' });
    assert.deepEqual(
      wrong.error?.issues.map((i) => i.message),
      ['the path is a database number, e.g. redis://cache:6379/0 (or none)'],
    );
    for (const ok of ['redis://cache:6379', 'redis://cache:6379/', 'redis://cache:6379/15'])
      assert.equal(schema.safeParse({ REDIS_URL: ok }).success, true, ok);
  });

  it('reads numbers from the environment and bounds them', () => {
    const parsed = schema.parse({
      REDIS_URL: 'redis://c',
      CACHE_COMMAND_TIMEOUT_MS: '400',
      CACHE_READINESS: 'on',
    });
    assert.equal(parsed.CACHE_COMMAND_TIMEOUT_MS, 400);
    assert.equal(parsed.CACHE_READINESS, 'on');
    assert.equal(schema.safeParse({ REDIS_URL: 'redis://c', CACHE_COMMAND_TIMEOUT_MS: '0' }).success, false);
    assert.equal(
      schema.safeParse({ REDIS_URL: 'redis://c', CACHE_DEFAULT_TTL_SECONDS: '1.5' }).success,
      false,
    );
  });

  it("prefixes keys with CACHE_PREFIX, else the service name and ':'", () => {
    assert.equal(keyPrefix({ CACHE_PREFIX: 'shared:orders:' }, 'orders'), 'shared:orders:');
    assert.equal(keyPrefix({}, 'orders'), 'orders:');
  });
});

describe('reconnection backoff', () => {
  it('doubles from 50 ms up to the cap, with the upper half random', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((r) => reconnectDelay(r, 10_000, 1)),
      [50, 100, 200, 400, 800],
    );
    assert.equal(reconnectDelay(0, 10_000, 0), 25);
    assert.equal(reconnectDelay(30, 2_000, 1), 2_000);
    assert.equal(reconnectDelay(1_000, 2_000, 0), 1_000);
    for (let r = 0; r < 64; r += 1) {
      const d = reconnectDelay(r, 2_000, Math.random());
      assert.ok(d >= 25 && d <= 2_000, `retry ${String(r)}: ${String(d)} ms`);
    }
  });
});

describe('outage logging', () => {
  // When a line is due is src/kit/outage.ts's (test/kit/outage.test.ts); this is what the lines carry.
  it('warns once per outage however many calls fail, and says when Redis is back', () => {
    const { lines, logger } = recordingLogger();
    let now = 0;
    const outage = outageState({ logger, secrets: [], now: () => now });
    for (let i = 0; i < 1_000; i += 1) outage.failed(new Error('connect ECONNREFUSED'));
    assert.equal(outage.up, false);
    now = 1_500;
    outage.recovered();
    outage.recovered();
    assert.equal(outage.up, true);
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg]),
      [
        ['warn', 'redis unavailable: cache reads miss, writes are dropped, wrap calls its loader'],
        ['info', 'redis available again'],
      ],
    );
    assert.deepEqual(lines[0]?.fields, { error: { name: 'Error', message: 'connect ECONNREFUSED' } });
    assert.deepEqual(lines[1]?.fields, { downMs: 1_500 });
  });

  it('never logs the password, raw or URL-encoded, nor the URL', () => {
    const secrets = urlSecrets(URL_WITH_SECRET);
    for (const message of [
      `could not reach ${URL_WITH_SECRET}`,
      'AUTH s3cr/t failed',
      'password s3cr%2Ft rejected',
    ]) {
      const safe = safeError(Object.assign(new Error(message), { code: 'E_TEST' }), secrets);
      assert.ok(!safe.message.includes('s3cr'), safe.message);
      assert.equal(safe.code, 'E_TEST');
    }
    assert.deepEqual(urlSecrets('redis://cache:6379'), []);
    assert.equal(safeError('plain', secrets).message, 'plain');
  });
});
