import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FoundationError } from '../../lib/errors.js';
import { backoffDelay } from '../../lib/wait/backoff.js';
import { realClock } from '../../lib/wait/clock.js';
import { retry } from '../../lib/wait/retry.js';
import { WaitTimeout, pending, waitUntil } from '../../lib/wait/wait-until.js';
import { fakeClock } from '../helpers/fake-clock.js';

const never = new Promise<never>(() => undefined);

describe('waitUntil', () => {
  it('resolves with the first value the probe gives, pausing between tries', async () => {
    const clock = fakeClock();
    const answers = [pending('0/2 ready'), null, false, 'up'];
    let tries = 0;
    const value = await waitUntil(() => Promise.resolve(answers[tries++]), {
      what: 'it',
      timeoutMs: 60_000,
      intervalMs: 100,
      jitter: 0,
      clock,
    });
    assert.equal(value, 'up');
    assert.equal(tries, 4);
    assert.deepEqual(clock.sleeps, [100, 200, 400]);
  });

  it('at the deadline rejects with what it waited for, how long, and the last reason seen', async () => {
    const clock = fakeClock();
    let tries = 0;
    const wait = waitUntil(() => Promise.resolve(pending(`node-a not Ready (try ${++tries})`)), {
      what: 'every node to be Ready',
      timeoutMs: 10_000,
      intervalMs: 1_000,
      maxIntervalMs: 3_000,
      jitter: 0,
      clock,
      fix: 'kubectl get nodes',
    });
    await assert.rejects(wait, (e: unknown) => {
      assert.ok(e instanceof WaitTimeout && e instanceof FoundationError);
      assert.equal(e.code, 'E_WAIT_TIMEOUT');
      assert.equal(e.fix, 'kubectl get nodes');
      assert.equal(e.lastSeen, `node-a not Ready (try ${tries})`);
      assert.equal(
        e.message,
        `gave up waiting for every node to be Ready after 10.0 s (${tries} tries); last seen: node-a not Ready (try ${tries})`,
      );
      return true;
    });
    // 1 + 2 + 3 + 3 s, then the last pause is cut at the deadline, where it asks one last time.
    assert.deepEqual(clock.sleeps, [1_000, 2_000, 3_000, 3_000, 1_000]);
    assert.equal(tries, 6);
    assert.equal(clock.elapsed, 10_000);
  });

  it('takes the error code the caller gives, and stops after maxAttempts', async () => {
    const clock = fakeClock();
    const wait = waitUntil(() => Promise.resolve(false), {
      what: 'x',
      timeoutMs: 60_000,
      maxAttempts: 3,
      code: 'E_KAFKA_UNREACHABLE',
      clock,
    });
    await assert.rejects(wait, (e: unknown) => e instanceof WaitTimeout && e.code === 'E_KAFKA_UNREACHABLE');
    assert.equal(clock.sleeps.length, 2);
  });

  it('abandons a try still running at the deadline: its signal aborts, its last note is the reason', async () => {
    const clock = fakeClock();
    let aborted = false;
    const wait = waitUntil<true>(
      ({ signal, note }) => {
        note('1/2 replicas ready');
        signal.addEventListener('abort', () => (aborted = true));
        return never;
      },
      { what: 'the rollout', timeoutMs: 5_000, clock },
    );
    await assert.rejects(
      wait,
      /gave up waiting for the rollout after 5\.0 s \(1 try\); last seen: 1\/2 replicas ready/,
    );
    assert.equal(aborted, true);
  });

  it('an error the probe throws ends the wait with that error', async () => {
    const boom = new Error('boom');
    await assert.rejects(
      waitUntil(() => Promise.reject(boom), { what: 'x', timeoutMs: 1_000, clock: fakeClock() }),
      (e: unknown) => e === boom,
    );
  });

  it('a signal aborted during a try rejects at once with its reason', async () => {
    const controller = new AbortController();
    const reason = new FoundationError('E_CANCELLED', 'stopped');
    const wait = waitUntil(
      () => {
        controller.abort(reason);
        return never;
      },
      { what: 'x', timeoutMs: 60_000, signal: controller.signal, clock: fakeClock() },
    );
    await assert.rejects(wait, (e: unknown) => e === reason);
  });

  it(
    'a signal aborted during a pause rejects at once with its reason (real clock, an hour-long pause)',
    {
      timeout: 20_000,
    },
    async () => {
      const controller = new AbortController();
      const reason = new Error('Ctrl+C');
      const wait = waitUntil(
        () => {
          setImmediate(() => {
            controller.abort(reason);
          });
          return Promise.resolve(pending('not yet'));
        },
        {
          what: 'x',
          timeoutMs: 7_200_000,
          intervalMs: 3_600_000,
          signal: controller.signal,
          clock: realClock,
        },
      );
      await assert.rejects(wait, (e: unknown) => e === reason);
    },
  );

  it('an already aborted signal rejects without asking', async () => {
    let asked = false;
    const wait = waitUntil(
      () => {
        asked = true;
        return Promise.resolve(true);
      },
      { what: 'x', timeoutMs: 1_000, signal: AbortSignal.abort(new Error('gone')), clock: fakeClock() },
    );
    await assert.rejects(wait, /gone/);
    assert.equal(asked, false);
  });
});

describe('backoff', () => {
  const b = { intervalMs: 100, maxIntervalMs: 1_000, factor: 2, jitter: 0.3 };

  it('grows by the factor up to the maximum; jitter only shortens a pause, by at most its share', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const base = Math.min(1_000, 100 * 2 ** (attempt - 1));
      assert.equal(
        backoffDelay(attempt, b, () => 0),
        base,
      );
      assert.equal(
        backoffDelay(attempt, b, () => 1),
        base * 0.7,
      );
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(attempt, b);
        assert.ok(d >= base * 0.7 && d <= base, `attempt ${attempt}: ${d} outside [${base * 0.7}, ${base}]`);
      }
    }
  });

  it('the pauses of a wait carry the jitter', async () => {
    const clock = fakeClock();
    let n = 0;
    await waitUntil(() => Promise.resolve(++n > 3), {
      ...b,
      what: 'x',
      timeoutMs: 60_000,
      clock,
      random: () => 0.5,
    });
    assert.deepEqual(clock.sleeps, [85, 170, 340]);
  });
});

describe('retry', () => {
  const transient = Object.assign(new Error('This server does not host this topic-partition'), {
    type: 'UNKNOWN_TOPIC_OR_PARTITION',
  });
  const retryable = (e: unknown) => (e as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION';

  it('tries again after a retryable error until it works', async () => {
    let calls = 0;
    const value = await retry(() => (++calls < 3 ? Promise.reject(transient) : Promise.resolve(0)), {
      what: 'x',
      timeoutMs: 5_000,
      retryable,
      clock: fakeClock(),
    });
    assert.equal(value, 0, 'a falsy result is a result');
    assert.equal(calls, 3);
  });

  it('stops at once on an error that is not retryable, rejecting with it', async () => {
    const fatal = new Error('TOPIC_AUTHORIZATION_FAILED');
    let calls = 0;
    await assert.rejects(
      retry(
        () => {
          calls++;
          return Promise.reject(fatal);
        },
        { what: 'x', timeoutMs: 5_000, retryable, clock: fakeClock() },
      ),
      (e: unknown) => e === fatal,
    );
    assert.equal(calls, 1);
  });

  it('out of retries: a WaitTimeout naming the last error, which is its cause', async () => {
    let calls = 0;
    const wait = retry(
      () => {
        calls++;
        return Promise.reject(transient);
      },
      { what: 'the topic metadata', timeoutMs: 60_000, retries: 2, retryable, clock: fakeClock() },
    );
    await assert.rejects(wait, (e: unknown) => {
      assert.ok(e instanceof WaitTimeout);
      assert.equal(e.cause, transient);
      assert.match(e.message, /the topic metadata .* \(3 tries\); last seen: This server does not host/);
      return true;
    });
    assert.equal(calls, 3);
  });
});
