import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withRetries, type Outcome } from '../../../src/kit/http-client/retry-loop.js';

/** Timers the process holds: a wait whose timer is not cleared shows here until it fires. */
const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('the retry loop', () => {
  it('runs attempts until one is not worth retrying, waiting what delayMs says between them', async () => {
    const asked: [number, Outcome<string>][] = [];
    const outcomes = [new Error('reset'), 'busy', 'done'];
    const value = await withRetries(
      async (n) => {
        const o = outcomes[n];
        if (o instanceof Error) throw o;
        return o ?? 'none';
      },
      {
        attempts: 5,
        delayMs: (retry, outcome) => {
          asked.push([retry, outcome]);
          return 'value' in outcome && outcome.value === 'done' ? null : 1;
        },
      },
    );
    assert.equal(value, 'done');
    assert.deepEqual(
      asked.map(([retry, o]) => [retry, 'error' in o ? (o.error as Error).message : o.value]),
      [
        [1, 'reset'],
        [2, 'busy'],
        [3, 'done'],
      ],
    );
  });

  it('ends with the last outcome when attempts run out: its error thrown, or its value returned', async () => {
    let runs = 0;
    const failing = withRetries(
      () => {
        runs += 1;
        return Promise.reject(new Error(`attempt ${runs}`));
      },
      { attempts: 3, delayMs: () => 0 },
    );
    await assert.rejects(failing, /attempt 3/);
    assert.equal(runs, 3);
    assert.equal(await withRetries(() => Promise.resolve(503), { attempts: 2, delayMs: () => 0 }), 503);
  });

  it('an abort during a wait rejects at once with its reason, clears the timer and sends nothing more', async () => {
    const before = timers();
    const controller = new AbortController();
    let runs = 0;
    const call = withRetries(
      () => {
        runs += 1;
        return Promise.reject(new Error('unavailable'));
      },
      { attempts: 3, signal: controller.signal, delayMs: () => 60_000 },
    );
    await new Promise((resolve) => setImmediate(resolve)); // the first attempt has failed; the wait began
    assert.equal(timers(), before + 1, 'the backoff is waiting on a timer');
    controller.abort(new Error('caller gave up'));
    await assert.rejects(call, /caller gave up/);
    assert.equal(timers(), before, 'the backoff timer is gone');
    assert.equal(runs, 1);
  });

  it('an outcome that arrives after the abort settles the call without a wait', async () => {
    const controller = new AbortController();
    let waits = 0;
    const call = withRetries(
      () => {
        controller.abort(new Error('gone'));
        return Promise.reject(new Error('reset'));
      },
      {
        attempts: 3,
        signal: controller.signal,
        delayMs: () => {
          waits += 1;
          return 1;
        },
      },
    );
    await assert.rejects(call, /reset/);
    assert.equal(waits, 0);
  });
});
