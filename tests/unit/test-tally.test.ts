import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  closing,
  newTally,
  onEnqueue,
  onFail,
  onPass,
  runningFiles,
  type TestEventData,
} from '../../scripts/test-tally.js';

const F = '/repo/dist/tests/integration/kafka.test.js';
const test = (name: string, extra: Partial<TestEventData> = {}): TestEventData => ({
  name,
  file: F,
  nesting: 1,
  details: { type: 'test' },
  ...extra,
});

describe('test runner tally', () => {
  it('counts a skipped suite once with its reason, skipped tests and todos, and not suites that ran', () => {
    const t = newTally();
    onPass(t, test('event bus', { nesting: 0, skip: 'kafka: no Java here', details: { type: 'suite' } }));
    onPass(t, test('converges topics'));
    onPass(t, test('reads leaders', { skip: true }));
    onPass(t, test('later', { todo: true }));
    onPass(t, test('topics', { nesting: 0, details: { type: 'suite' } }));
    assert.equal(t.passed, 1);
    assert.deepEqual(t.skips, [
      { file: F, name: 'event bus', reason: 'kafka: no Java here' },
      { file: F, name: 'reads leaders', reason: 'skipped without a reason' },
      { file: F, name: 'later', reason: 'todo: todo without a reason' },
    ]);
  });

  it('counts a failed test once, not again for its suite', () => {
    const t = newTally();
    onFail(t, test('bad POST gets 400'));
    onFail(
      t,
      test('http', { nesting: 0, details: { type: 'suite', error: { failureType: 'subtestsFailed' } } }),
    );
    onFail(t, test('hook', { nesting: 0, details: { type: 'suite', error: { failureType: 'hookFailed' } } }));
    assert.equal(t.failed, 2);
  });

  it('ends with N passed, N failed, N skipped; outside CI a skip is reported, not failed', () => {
    const t = newTally();
    onPass(t, test('a'));
    onPass(t, test('b', { skip: 'no tmux' }));
    const end = closing(t, [F], { ci: false, cwd: '/repo' });
    assert.deepEqual(end, { notes: [], line: '1 passed, 0 failed, 1 skipped', failed: 0 });
  });

  it('under CI names every skip with its reason and fails the run', () => {
    const t = newTally();
    onPass(t, test('a'));
    onPass(t, test('event bus', { nesting: 0, skip: 'kafka: jars missing', details: { type: 'suite' } }));
    const end = closing(t, [F], { ci: true, cwd: '/repo' });
    assert.equal(end.line, '1 passed, 1 failed, 1 skipped');
    assert.equal(end.failed, 1);
    assert.deepEqual(end.notes, [
      '✖ 1 skipped under CI=true, where nothing may skip:',
      '  - dist/tests/integration/kafka.test.js › event bus: kafka: jars missing',
    ]);
  });

  it('fails a file that registered no tests (node reports it as a test named after the file)', () => {
    const t = newTally();
    const other = '/repo/dist/tests/unit/empty.test.js';
    onPass(t, { name: other, file: other, nesting: 0, details: {} });
    onPass(t, test('a'));
    const end = closing(t, [F, other], { ci: false, cwd: '/repo' });
    assert.equal(end.line, '1 passed, 1 failed, 0 skipped');
    assert.deepEqual(end.notes, ['✖ dist/tests/unit/empty.test.js registered no tests']);
  });
});

describe('results that never arrived', () => {
  it('a file whose queued tests have no result fails by their number, named; one with all results passes', () => {
    const t = newTally();
    const other = '/repo/dist/tests/unit/manifests.test.js';
    onEnqueue(t, { name: other, file: other, nesting: 0 }); // the file itself: not a test
    for (const name of ['manifests', 'a', 'b', 'c']) onEnqueue(t, { name, file: other, nesting: 1 });
    onEnqueue(t, { name: 'x', file: F, nesting: 1 });
    onPass(t, test('x'));
    onPass(t, test('a', { file: other }));
    onPass(t, test('b', { file: other, skip: 'no Docker' }));
    const end = closing(t, [F, other], { ci: false, cwd: '/repo' });
    assert.equal(end.line, '2 passed, 2 failed, 1 skipped');
    assert.deepEqual(end.notes, [
      '✖ dist/tests/unit/manifests.test.js: 2 test(s) queued whose result never reached the runner',
    ]);
  });

  it('a failed test is a result: it is counted once, not again as missing', () => {
    const t = newTally();
    onEnqueue(t, { name: 'x', file: F, nesting: 1 });
    onFail(t, test('x'));
    assert.equal(closing(t, [F], { ci: true, cwd: '/repo' }).line, '0 passed, 1 failed, 0 skipped');
  });
});

describe('files still running (named when a run passes its time limit), and the slowest', () => {
  it('a file is running from its dequeue to its complete; its own tests do not count as files', () => {
    const files = runningFiles();
    const a = '/r/dist/tests/a.test.js';
    const b = '/r/dist/tests/b.test.js';
    files.onDequeue({ name: a, file: a, nesting: 0 }, 0);
    files.onDequeue({ name: b, file: b, nesting: 0 }, 0);
    files.onDequeue({ name: 'a test in b', file: b, nesting: 0 }, 1);
    files.onComplete({ name: 'a test in b', file: b, nesting: 0 }, 2);
    files.onDequeue({ name: b, file: b, nesting: 1 }, 3);
    assert.deepEqual(files.list(), [a, b]);
    files.onComplete({ name: a, file: a, nesting: 0 }, 4);
    assert.deepEqual(files.list(), [b]);
    files.onComplete({ name: b, file: b, nesting: 0 }, 5);
    assert.deepEqual(files.list(), []);
  });

  it('the slowest files, slowest first, each from its own start to its own end, in seconds', () => {
    const files = runningFiles();
    const at = (name: string, start: number, end: number) => {
      files.onDequeue({ name, file: name, nesting: 0 }, start);
      files.onComplete({ name, file: name, nesting: 0 }, end);
    };
    at('/r/quick.test.js', 0, 120);
    at('/r/compose.test.js', 100, 79_100);
    at('/r/kit.test.js', 5_000, 53_040);
    files.onComplete({ name: '/r/never-started.test.js', file: '/r/never-started.test.js', nesting: 0 }, 9);
    assert.deepEqual(files.slowest(2), [
      { file: '/r/compose.test.js', seconds: 79 },
      { file: '/r/kit.test.js', seconds: 48 },
    ]);
    assert.equal(files.slowest(10).length, 3);
  });
});
