import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeadlineQueue } from '../../../src/kit/redis/deadlines.js';
import { until } from './harness.js';

describe('command deadlines (one timer for all)', () => {
  it('expires what is not settled in time, in order, and nothing settled', async () => {
    const queue = new DeadlineQueue(30);
    const expired: string[] = [];
    const now = performance.now();
    const a = queue.add(now, () => expired.push('a'));
    queue.add(now, () => expired.push('b'));
    const c = queue.add(now + 5, () => expired.push('c'));
    queue.settle(a);
    queue.settle(c);
    await until('b to expire', () => expired.length > 0, 2_000);
    assert.deepEqual(expired, ['b']);
    assert.equal(queue.size, 0, 'c, answered behind b, is dropped once b expired');
    const late = queue.add(performance.now(), () => expired.push('late'));
    await until('the later entry to expire', () => expired.length > 1, 2_000);
    assert.deepEqual(expired, ['b', 'late']);
    assert.equal(late.settled, true);
  });

  it('drops answered entries at once when answers come in order, so nothing piles up', () => {
    const queue = new DeadlineQueue(10_000);
    for (let i = 0; i < 5_000; i += 1)
      queue.settle(queue.add(performance.now(), () => assert.fail('expired')));
    assert.equal(queue.size, 0);
    const first = queue.add(performance.now(), () => undefined);
    for (let i = 0; i < 3_000; i += 1) queue.settle(queue.add(performance.now(), () => undefined));
    assert.equal(queue.size, 3_001, 'held behind the one still in flight');
    queue.settle(first);
    assert.equal(queue.size, 0);
  });
});
