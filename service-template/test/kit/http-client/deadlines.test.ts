import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deadlines } from '../../../src/kit/http-client/deadlines.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Lower bounds only: a loaded machine may expire a deadline late, never early.
describe('http-client deadlines (one timer per timeout value)', () => {
  it('expires each deadline after its own time, oldest first, and not one that was cleared', async () => {
    const list = deadlines();
    const expired: { name: string; ms: number }[] = [];
    const t0 = performance.now();
    const start = (name: string, ms: number) =>
      list.start(ms, () => expired.push({ name, ms: performance.now() - t0 }));
    const a = start('a', 40);
    await sleep(15);
    const b = start('b', 40);
    const c = start('c', 40);
    c.clear();
    const d = start('d', 80); // another timeout value: its own list
    while (expired.length < 3) await sleep(10);
    await sleep(60); // c, cleared, must stay silent
    assert.deepEqual(
      expired.map((e) => e.name),
      ['a', 'b', 'd'],
    );
    assert.ok((expired[0]?.ms ?? 0) >= 39, `a after ${expired[0]?.ms} ms`);
    assert.ok((expired[1]?.ms ?? 0) >= 54, `b after ${expired[1]?.ms} ms`);
    assert.ok((expired[2]?.ms ?? 0) >= 94, `d after ${expired[2]?.ms} ms`);
    assert.deepEqual([a.expired, b.expired, c.expired, d.expired], [true, true, false, true]);
    list.close();
  });

  it('a fake clock: what is due expires, what is not is waited for again (timers may fire early)', async () => {
    let now = 1_000;
    const list = deadlines(() => now);
    const fired: string[] = [];
    list.start(5, () => fired.push('first'));
    now += 2; // the timer fires while the clock says 3 ms are left
    await sleep(20);
    assert.deepEqual(fired, []);
    now += 3;
    await sleep(20);
    assert.deepEqual(fired, ['first']);
    list.close();
  });

  it('an expiry that starts another attempt with the same timeout: that one expires once, after its time', async () => {
    const list = deadlines();
    const fired: number[] = [];
    const t0 = performance.now();
    let second: { readonly expired: boolean } | null = null;
    list.start(20, () => {
      fired.push(performance.now() - t0);
      second = list.start(20, () => fired.push(performance.now() - t0));
    });
    for (let waited = 0; fired.length < 2 && waited < 10_000; waited += 10) await sleep(10);
    await sleep(60); // and never a second time
    assert.equal(fired.length, 2);
    assert.ok((fired[1] ?? 0) - (fired[0] ?? 0) >= 19, `the second after ${fired[1]} ms`);
    assert.equal((second as { readonly expired: boolean } | null)?.expired, true);
    list.close();
  });

  it('close() forgets every pending deadline', async () => {
    const list = deadlines();
    let fired = 0;
    for (let i = 0; i < 100; i += 1) list.start(20, () => (fired += 1));
    list.close();
    await sleep(60);
    assert.equal(fired, 0);
  });

  it('many attempts ended in time leave nothing behind and fire nothing', async () => {
    const list = deadlines();
    let fired = 0;
    for (let i = 0; i < 10_000; i += 1) list.start(30, () => (fired += 1)).clear();
    const late = list.start(30, () => (fired += 1));
    for (let waited = 0; !late.expired && waited < 10_000; waited += 10) await sleep(10);
    await sleep(40); // any of the cleared ones firing would show by now
    assert.equal(fired, 1);
    assert.equal(late.expired, true);
    list.close();
  });
});
