// The Kafka test scripts' logic without a broker: what is counted and committed, how a run is bounded,
// and what a failure is called. The scripts themselves run against the real broker in
// tests/integration/event-bus.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtocolError } from '@platformatic/kafka';
import { FoundationError } from '../../lib/errors.js';
import { reconcileTopics } from '../../lib/kafka/converge.js';
import { brokerFailure, testRun, untilDone } from '../../scripts/kafka/args.js';
import { orLate } from '../../lib/wait/or-late.js';
import { Tally, type Counted } from '../../scripts/kafka/tally.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { memoryAdmin } from '../helpers/topic-admin.js';

const isCode = (code: string, message?: RegExp) => (e: unknown) =>
  e instanceof FoundationError && e.code === code && (message === undefined || message.test(e.message));

function messages(n: number, commit: (i: number) => unknown = () => undefined) {
  const commits: number[] = [];
  const list: Counted[] = Array.from({ length: n }, (_, i) => ({
    partition: i % 2,
    offset: BigInt(i),
    commit: () => {
      commits.push(i);
      return commit(i);
    },
  }));
  return { list, commits };
}

describe('kafka-consume-test counting', () => {
  it('counts and commits exactly --count messages; the rest of a batch is left for the next reader', async () => {
    const tally = new Tally(3);
    const { list, commits } = messages(5);
    assert.deepEqual(
      list.map((m) => tally.take(m)),
      [true, true, true, false, false],
    );
    assert.equal(await tally.committed(), undefined);
    assert.deepEqual(commits, [0, 1, 2]);
    assert.deepEqual([tally.received, tally.first, tally.last, tally.done], [3, '0:0', '0:2', true]);
  });

  it('after the run ends (time out, Ctrl+C) nothing more is counted or committed', async () => {
    const tally = new Tally(10);
    const { list, commits } = messages(4);
    tally.take(list[0] as Counted);
    tally.stop();
    assert.equal(tally.take(list[1] as Counted), false);
    await tally.committed();
    assert.deepEqual(commits, [0]);
    assert.equal(tally.done, false);
  });

  it('a failed commit, rejected or thrown, is kept to be said at the end: no unhandled rejection', async () => {
    const tally = new Tally(3);
    const { list } = messages(3, (i) => {
      if (i === 1) throw new Error('sync failure');
      return i === 2 ? Promise.reject(new Error('NOT_COORDINATOR')) : undefined;
    });
    for (const m of list) tally.take(m);
    const error = await tally.committed();
    assert.match((error as Error).message, /sync failure/, 'the first failure');
  });
});

describe('kafka test script arguments', () => {
  const run = (topic: string) => testRun({ topic, count: '10', timeout: '5', brokers: 'localhost:19092' });

  it('a topic Kafka would refuse is a usage error, before any broker is asked', () => {
    assert.throws(() => run('bad topic!'), isCode('E_USAGE', /is not a Kafka topic name: letters/));
    assert.throws(() => run('..'), isCode('E_USAGE', /refuses "\." and "\.\."/));
    assert.throws(() => run('x'.repeat(250)), isCode('E_USAGE', /at most 249/));
    assert.deepEqual(run('orders.placed'), {
      topic: 'orders.placed',
      count: 10,
      timeoutMs: 5_000,
      brokers: ['localhost:19092'],
    });
  });
});

describe('what a broker failure is called', () => {
  it('a refusal is E_KAFKA_REFUSED (exit 2), a permission refusal says so; anything else is unreachable', () => {
    const invalid = brokerFailure(
      new ProtocolError('INVALID_TOPIC_EXCEPTION'),
      'producing to t',
      '0 of 1',
      '--topic',
    );
    assert.ok(
      isCode(
        'E_KAFKA_REFUSED',
        /^producing to t: the broker refused it: INVALID_TOPIC.*\(0 of 1\)$/,
      )(invalid),
    );
    const denied = brokerFailure(
      new ProtocolError('TOPIC_AUTHORIZATION_FAILED'),
      'consuming t',
      '',
      '--topic',
    );
    assert.ok(isCode('E_KAFKA_REFUSED')(denied));
    assert.match(denied.fix ?? '', /permission/);
    const lost = brokerFailure(new Error('connect ECONNREFUSED 127.0.0.1:1'), 'consuming t', '', '--topic');
    assert.ok(isCode('E_KAFKA_UNREACHABLE', /^consuming t failed: connect ECONNREFUSED/)(lost));
  });

  it('our own errors keep their code and gain what was being done', () => {
    const own = brokerFailure(
      new FoundationError('E_CANCELLED', 'interrupted (SIGINT)'),
      'producing to t',
      '5 of 9',
      '--topic',
    );
    assert.ok(isCode('E_CANCELLED', /^producing to t: interrupted \(SIGINT\) \(5 of 9\)$/)(own));
  });
});

describe('untilDone: a bounded run', () => {
  it('returns when the work is done and leaves no signal handler behind', async () => {
    const before = process.listenerCount('SIGINT');
    await untilDone(60_000, () => Promise.resolve());
    assert.equal(process.listenerCount('SIGINT'), before);
  });

  it('past the time: E_WAIT_TIMEOUT, and the work is told to stop', async () => {
    let seen: AbortSignal | undefined;
    await assert.rejects(
      untilDone(20, (signal) => {
        seen = signal;
        return new Promise(() => undefined); // never done on its own
      }),
      isCode('E_WAIT_TIMEOUT', /not done within 0\.02 s/),
    );
    assert.equal(seen?.aborted, true);
  });

  it('Ctrl+C or SIGTERM: E_CANCELLED naming the signal, the work told to stop, handlers removed', async () => {
    const before = process.listenerCount('SIGTERM');
    let seen: AbortSignal | undefined;
    const running = untilDone(60_000, (signal) => {
      seen = signal;
      return new Promise(() => undefined);
    });
    process.emit('SIGTERM', 'SIGTERM');
    await assert.rejects(running, isCode('E_CANCELLED', /interrupted \(SIGTERM\)/));
    assert.equal(seen?.aborted, true);
    assert.equal(process.listenerCount('SIGTERM'), before);
  });
});

describe('orLate: a bounded wait for a client that may never answer', () => {
  it("gives the work's result, or the stand-in once the time passed", async () => {
    assert.equal(await orLate(Promise.resolve('closed'), 60_000, 'late'), 'closed');
    assert.equal(await orLate(new Promise<string>(() => undefined), 10, 'late'), 'late');
  });
});

describe('a reconcile that fails mid-way says what it did and did not', () => {
  const want = [
    { name: 'a', partitions: 1, replicationFactor: 1, config: {} },
    { name: 'b', partitions: 1, replicationFactor: 1, config: {} },
    { name: 'c', partitions: 1, replicationFactor: 1, config: {} },
  ];

  it('a refusal keeps E_KAFKA_REFUSED, with the change done before it and those not tried', async () => {
    const admin = memoryAdmin();
    const create = admin.create.bind(admin);
    admin.create = (t) =>
      t.name === 'b'
        ? Promise.reject(new FoundationError('E_KAFKA_REFUSED', 'topic b: the broker refused it', 'fix b'))
        : create(t);
    await assert.rejects(
      reconcileTopics(admin, want, { clock: fakeClock() }),
      isCode(
        'E_KAFKA_REFUSED',
        /^topic b: the broker refused it \(done before it: a: create .*; not tried: c: create .*\)$/,
      ),
    );
  });

  it('a lost connection is E_KAFKA_UNREACHABLE with the same account, never "a bug"', async () => {
    const admin = memoryAdmin();
    admin.create = () => Promise.reject(new Error('Connection closed'));
    await assert.rejects(
      reconcileTopics(admin, want, { clock: fakeClock() }),
      isCode(
        'E_KAFKA_UNREACHABLE',
        /^the broker failed mid-way: Connection closed \(nothing was changed before it; not tried: b: create .*; c: create /,
      ),
    );
  });
});
