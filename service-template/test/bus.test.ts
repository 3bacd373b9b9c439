import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBatcher } from '../src/bus/batcher.js';
import type { IncomingEvent, RawMessage } from '../src/bus/event-bus.js';
import { decodeValue, deliver, headerText, retryDelayMs } from '../src/bus/messages.js';
import { createLogger } from '../src/telemetry/index.js';

/** A send that stays pending until `release()`; records each batch it got. */
function gatedSend() {
  const batches: number[][] = [];
  let release: () => void = () => undefined;
  let fail: Error | null = null;
  const send = (items: number[]) => {
    batches.push(items);
    return new Promise<void>((resolve, reject) => {
      release = () => (fail ? reject(fail) : resolve());
    });
  };
  return { batches, send, release: () => release(), failNext: (e: Error) => (fail = e) };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('producer batching', () => {
  it('sends a lone publish at once, and what arrives meanwhile together in the next send', async () => {
    const gate = gatedSend();
    const publish = createBatcher(gate.send, () => 1, { maxCount: 100, maxBytes: 1_000 });
    const first = publish(1);
    await tick();
    assert.deepEqual(gate.batches, [[1]], 'no waiting for company');
    const rest = [2, 3, 4].map((n) => publish(n));
    await tick();
    assert.equal(gate.batches.length, 1, 'one send in flight at a time');
    gate.release();
    await first;
    await tick();
    assert.deepEqual(gate.batches, [[1], [2, 3, 4]]);
    gate.release();
    await Promise.all(rest);
  });

  it('publishes made in the same tick share a send', async () => {
    const gate = gatedSend();
    const publish = createBatcher(gate.send, () => 1, { maxCount: 100, maxBytes: 1_000 });
    const all = Promise.all([1, 2, 3].map((n) => publish(n)));
    await tick();
    assert.deepEqual(gate.batches, [[1, 2, 3]]);
    gate.release();
    await all;
  });

  it('keeps batches within the count and byte limits (a larger message goes alone)', async () => {
    const sent: number[][] = [];
    const publish = createBatcher(
      async (items: number[]) => {
        sent.push(items);
      },
      (n) => n,
      { maxCount: 3, maxBytes: 10 },
    );
    await Promise.all([1, 1, 1, 1, 4, 4, 4, 50, 2].map((n) => publish(n)));
    assert.deepEqual(sent, [[1, 1, 1], [1, 4, 4], [4], [50], [2]]);
  });

  it('rejects every publish of a failed send, and goes on with the next', async () => {
    const gate = gatedSend();
    const publish = createBatcher(gate.send, () => 1, { maxCount: 100, maxBytes: 1_000 });
    const first = publish(1);
    await tick();
    const [a, b] = [publish(2), publish(3)];
    gate.failNext(new Error('broker down'));
    gate.release();
    await assert.rejects(first, /broker down/);
    await tick();
    gate.release();
    await assert.rejects(a, /broker down/);
    await assert.rejects(b, /broker down/);
    assert.deepEqual(gate.batches, [[1], [2, 3]]);
  });
});

const message: RawMessage = {
  topic: 't',
  partition: 0,
  offset: '7',
  key: 'k',
  value: '{"n":1}',
  headers: { a: 'b' },
};
const quiet = createLogger({ name: 't', level: 'silent' });

describe('delivery', () => {
  it('decodes JSON values, keeps other text, and null', () => {
    assert.deepEqual(decodeValue('{"n":1}'), { n: 1 });
    assert.equal(decodeValue('not json'), 'not json');
    assert.equal(decodeValue(null), null);
  });

  it('reads header values as text, the first of repeated ones', () => {
    assert.deepEqual(headerText({ a: Buffer.from('x'), b: ['y', 'z'], c: undefined }), { a: 'x', b: 'y' });
  });

  it('backs off 0.1 s doubling up to 5 s', () => {
    assert.deepEqual([0, 1, 2, 5, 6, 30].map(retryDelayMs), [100, 200, 400, 3_200, 5_000, 5_000]);
  });

  it('retries a failing handler until it succeeds (true: commit)', async () => {
    const seen: IncomingEvent[] = [];
    let calls = 0;
    const ok = await deliver(
      message,
      async (event) => {
        calls += 1;
        if (calls < 3) throw new Error('not yet');
        seen.push(event);
      },
      new AbortController().signal,
      quiet,
    );
    assert.equal(ok, true);
    assert.equal(calls, 3);
    assert.deepEqual(seen[0]?.value, { n: 1 });
    assert.equal(seen[0]?.offset, '7');
  });

  it('gives up when the consumer stops (false: not committed)', async () => {
    const stop = new AbortController();
    const ok = await deliver(
      message,
      async () => {
        stop.abort();
        throw new Error('fails as the consumer stops');
      },
      stop.signal,
      quiet,
    );
    assert.equal(ok, false);
  });
});
