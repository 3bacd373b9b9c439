// The broker away, without a broker: the back-off, the link's fail-fast publish and readiness reason, the
// consumer supervisor, and how the HTTP layer answers (503 + Retry-After, /readyz reasons). The same
// behaviour on a real broker stopped and started: event-bus.restart.test.ts.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import type { ServiceDefinition } from '../src/app.js';
import { backoffDelayMs, within } from '../src/bus/backoff.js';
import { createBatcher } from '../src/bus/batcher.js';
import { createBrokerLink } from '../src/bus/link.js';
import { superviseConsumer } from '../src/bus/supervisor.js';
import { BrokerUnavailableError } from '../src/kafka.js';
import { createLogger } from '../src/telemetry/index.js';
import { waitFor } from './bus-harness.js';
import { testApp } from './helpers.js';

const logger = createLogger({ name: 'test', level: 'silent' });
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });

describe('reconnect back-off', () => {
  it('is full jitter: between 0 and base·2^attempt, never above the cap', () => {
    const backoff = { baseMs: 100, capMs: 5_000 };
    assert.equal(
      backoffDelayMs(0, backoff, () => 0),
      0,
    );
    assert.equal(
      backoffDelayMs(0, backoff, () => 0.5),
      50,
    );
    assert.equal(
      backoffDelayMs(3, backoff, () => 0.5),
      400,
    );
    assert.equal(
      backoffDelayMs(10, backoff, () => 0.999),
      4_995,
    );
    assert.equal(
      backoffDelayMs(5_000, backoff, () => 0.999),
      4_995,
      'a huge attempt count stays capped',
    );
  });
});

describe('within: a client call that might never answer', () => {
  it('the value in time; null when the time runs out or the signal fires; a rejection is thrown', async () => {
    const never = (): Promise<never> => new Promise(() => undefined);
    assert.deepEqual(await within(Promise.resolve(7), 60_000), { value: 7 });
    assert.equal(await within(never(), 20), null);
    const stop = new AbortController();
    const pending = within(never(), 60_000, stop.signal);
    stop.abort();
    assert.equal(await pending, null);
    await assert.rejects(within(Promise.reject(new Error('refused')), 60_000), /refused/);
  });

  it('a signal fired before the call is null at once; one that never fires keeps no listener', async () => {
    const never = (): Promise<never> => new Promise(() => undefined);
    assert.equal(await within(never(), 60_000, AbortSignal.abort()), null);
    const shutdown = new AbortController(); // a service-long signal given to every call
    for (let i = 0; i < 3; i++)
      assert.deepEqual(await within(Promise.resolve(i), 60_000, shutdown.signal), { value: i });
    await assert.rejects(within(Promise.reject(new Error('refused')), 60_000, shutdown.signal), /refused/);
    assert.equal(getEventListeners(shutdown.signal, 'abort').length, 0);
  });
});

describe('the broker link', () => {
  const link = (probe: () => Promise<void>, publishTimeoutMs = 200) =>
    createBrokerLink({ probe, backoff: { baseMs: 5, capMs: 20 }, publishTimeoutMs, logger });

  it('broker absent: not ready with the reason; publishes fail fast without a send; ready once it answers', async () => {
    let up = false;
    const l = link(async () => {
      if (!up) throw refused();
    });
    const status = await l.check();
    assert.equal(status.ready, false);
    assert.match(
      status.reason ?? '',
      /^broker unreachable since \d{4}-\d\d-\d\dT[\d:.]+Z: connect ECONNREFUSED/,
    );
    let sends = 0;
    // At once, not after the publish timeout: the error names the outage, not an unacknowledged event.
    await assert.rejects(
      l.send(async () => {
        sends += 1;
      }),
      (e: unknown) =>
        e instanceof BrokerUnavailableError &&
        e.retryAfterSeconds === 1 &&
        /^Kafka is unavailable: broker unreachable since /.test(e.message),
    );
    assert.equal(sends, 0, 'nothing is sent while the broker is known to be down');
    up = true; // the watcher's back-off probe finds it: no call from outside needed
    let ready = false;
    const poll = setInterval(() => void l.check().then((s) => (ready = s.ready)), 10);
    await waitFor(
      () => ready,
      'ready again',
      () => ready,
      2_000,
    );
    clearInterval(poll);
    await l.send(async () => undefined);
    l.close();
  });

  it('a send the broker does not acknowledge fails after the publish timeout, and marks the broker down', async () => {
    let abandoned: AbortSignal | null = null;
    const l = link(() => Promise.reject(refused()), 100);
    const started = performance.now();
    await assert.rejects(
      l.send((signal) => {
        abandoned = signal;
        return new Promise(() => undefined);
      }),
      (e: unknown) => e instanceof BrokerUnavailableError && /within 100 ms/.test(e.message),
    );
    const took = performance.now() - started;
    assert.ok(took >= 95, `${took} ms: not before the timeout`);
    assert.equal((abandoned as AbortSignal | null)?.aborted, true, 'the send is told it was abandoned');
    assert.equal((await l.check()).ready, false);
    l.close();
  });

  it('a send that fails is a BrokerUnavailableError carrying its cause', async () => {
    const l = link(async () => undefined);
    const cause = refused();
    await assert.rejects(
      l.send(() => Promise.reject(cause)),
      (e: unknown) =>
        e instanceof BrokerUnavailableError && /ECONNREFUSED/.test(e.message) && e.cause === cause,
    );
    l.close();
  });
});

describe('a publish abandoned while it waits', () => {
  it('leaves the queue and is never sent', async () => {
    const sent: number[][] = [];
    let release: () => void = () => undefined;
    const publish = createBatcher(
      (items: number[]) => {
        sent.push(items);
        return new Promise<void>((resolve) => (release = resolve));
      },
      () => 1,
      { maxCount: 100, maxBytes: 1_000 },
    );
    const first = publish(1);
    await new Promise((resolve) => setImmediate(resolve));
    const abandon = new AbortController();
    const second = publish(2, abandon.signal);
    const third = publish(3);
    abandon.abort(new Error('timed out'));
    await assert.rejects(second, /timed out/);
    release();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await third;
    assert.deepEqual(sent, [[1], [3]]);
  });
});

describe('the consumer supervisor', () => {
  it('retries a start that fails, starts again a consumer the client lost, and stops the running one', async () => {
    let attempts = 0;
    let stops = 0;
    let lose: () => void = () => undefined;
    const running = superviseConsumer(
      async (lost) => {
        attempts += 1;
        if (attempts <= 2) throw refused();
        lose = lost;
        return {
          stop: async () => {
            stops += 1;
          },
        };
      },
      { backoff: { baseMs: 5, capMs: 20 }, logger, topics: ['t'], groupId: 'g' },
    );
    await waitFor(
      () => attempts === 3,
      'the third attempt',
      () => attempts,
      2_000,
    );
    lose();
    await waitFor(
      () => attempts === 4 && stops === 1,
      'a new start',
      () => ({ attempts, stops }),
      2_000,
    );
    await running.stop();
    assert.equal(stops, 2);
  });
});

describe('HTTP while the broker is away', () => {
  const service: ServiceDefinition = {
    topics: [],
    handle: async () => undefined,
    routes(app) {
      app.post('/publish', async () => {
        throw new BrokerUnavailableError('Kafka is unavailable: broker unreachable', 5);
      });
    },
  };

  it('a publish that failed is a 503 UNAVAILABLE with Retry-After', async () => {
    const { app } = await testApp(service);
    const res = await app.inject({ method: 'POST', url: '/publish' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['retry-after'], '5');
    assert.equal((res.json() as { error: { code: string } }).error.code, 'UNAVAILABLE');
  });

  it('/readyz names the reason a check gives', async () => {
    const reason = 'broker unreachable since 2026-01-01T00:00:00.000Z: connect ECONNREFUSED';
    const { app } = await testApp(service, [
      { name: 'kafka', check: async () => ({ ready: false, reason }) },
    ]);
    const res = await app.inject({ url: '/readyz' });
    assert.equal(res.statusCode, 503);
    assert.deepEqual(res.json(), {
      status: 'not ready',
      checks: { kafka: 'failing' },
      reasons: { kafka: reason },
    });
  });
});
