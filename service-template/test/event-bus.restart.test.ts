// The EventBus contract while the broker is away, for both clients, on a real broker this test stops and
// starts: KAFKA_RESTART_BROKERS (its host:port, the same after a restart) and KAFKA_RESTART_STOP /
// KAFKA_RESTART_START (shell commands that stop it and start it again, keeping its data). Foundation's
// integration tests set them (tests/integration/template-bus-contract.test.ts); without them these tests
// are skipped. Both clients share one broker life, so the broker starts only twice.
import assert from 'node:assert/strict';
import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { BrokerUnavailableError, type EventBus, type KafkaClient } from '../src/kafka.js';
import { CLIENTS, eventually, inbox, newBus, ns, waitFor, type Inbox } from './bus-harness.js';

const AT = process.env.KAFKA_RESTART_BROKERS?.split(',').filter(Boolean) ?? [];
const STOP = process.env.KAFKA_RESTART_STOP ?? '';
const START = process.env.KAFKA_RESTART_START ?? '';
const skip =
  AT.length === 0 || STOP === '' || START === ''
    ? 'KAFKA_RESTART_BROKERS, KAFKA_RESTART_STOP and KAFKA_RESTART_START are not all set'
    : false;

/** Short settings, so the bounds below are quick to check: a publish waits 2 s at most, back-off cap 2 s. */
const PUBLISH_TIMEOUT_MS = 2_000;
const CAP_MS = 2_000;
const connection = { publishTimeoutMs: PUBLISH_TIMEOUT_MS, reconnect: { baseMs: 100, capMs: CAP_MS } };
/** What a bound may exceed by on a busy machine (a probe's own 1-2 s, scheduling). */
const MARGIN_MS = 3_000;

const run = promisify(exec);
const broker = async (command: string): Promise<void> => {
  await run(command, { timeout: 120_000 });
};

interface Side {
  readonly client: KafkaClient;
  readonly bus: EventBus;
  readonly box: Inbox;
  readonly topic: string;
  /** Every n whose publish resolved (acknowledged). */
  readonly acked: number[];
  /** How many events the consumer had handled when the broker was stopped under it. */
  handledBeforeLoss: number;
}

/** Publish `n`; true if acknowledged, false if refused with the typed error (anything else fails). */
async function publish(side: Side, n: number): Promise<{ acked: boolean; ms: number }> {
  const started = performance.now();
  try {
    await side.bus.publish(side.topic, { key: `k${n % 3}`, value: { n } });
    side.acked.push(n);
    return { acked: true, ms: performance.now() - started };
  } catch (error) {
    assert.ok(error instanceof BrokerUnavailableError, `${side.client}: ${String(error)}`);
    return { acked: false, ms: performance.now() - started };
  }
}

/**
 * Publish `n` again until it is acknowledged, as a caller does after a 503: a broker that has just come
 * back may take longer than the publish timeout on a busy machine (metadata, leaders). An attempt refused
 * may still be written later, so an event can arrive more than once: at-least-once, never lost.
 */
async function publishUntilAcked(side: Side, n: number): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    if ((await publish(side, n)).acked) return attempt;
    assert.ok(attempt < 10, `${side.client}: ${n} not acknowledged in 10 attempts`);
    // A send that timed out marks the broker down: publishes fail at once until it answers again.
    await eventually(
      () => side.bus.ready(),
      `${side.client} ready after a refused publish`,
      CAP_MS + MARGIN_MS,
    );
  }
}

describe('EventBus with the broker away (both clients)', { skip, timeout: 300_000 }, () => {
  const id = Math.random().toString(36).slice(2, 8);
  const sides: Side[] = [];
  before(async () => {
    await broker(STOP); // absent at start
  });
  after(
    async () => {
      try {
        await Promise.all(
          sides.map(async (side) => {
            const started = performance.now();
            await side.bus.stopConsuming();
            await side.bus.close();
            // In the output, so a close that hangs shows which client it was (its line is missing).
            const ms = Math.round(performance.now() - started);
            process.stdout.write(`# ${side.client}: stopped consuming and closed in ${ms} ms\n`);
          }),
        );
      } finally {
        const started = performance.now();
        await broker(STOP); // stopping a broker can take a minute on a loaded machine
        process.stdout.write(`# broker stopped in ${Math.round(performance.now() - started)} ms\n`);
      }
    },
    { timeout: 180_000 },
  );

  it('absent at start: consume() returns, not ready with the reason, publish fails fast with the typed error', async () => {
    for (const client of CLIENTS) {
      const side: Side = {
        client,
        bus: newBus(client, [], AT, connection),
        box: inbox(),
        topic: `restart.${id}.${client}`,
        acked: [],
        handledBeforeLoss: 0,
      };
      sides.push(side);
      const started = performance.now();
      await side.bus.consume([side.topic], `restart-${id}-${client}`, (e) => side.box.handle(e));
      assert.ok(performance.now() - started < 1_000, `${client}: consume() does not wait for the broker`);
      const status = await side.bus.readiness();
      assert.equal(status.ready, false, client);
      assert.match(status.reason ?? '', /^broker unreachable since .+Z: /, client);
      const first = await publish(side, 0);
      assert.equal(first.acked, false, `${client}: nothing is acknowledged without a broker`);
      assert.ok(first.ms < PUBLISH_TIMEOUT_MS + MARGIN_MS, `${client}: ${first.ms} ms`);
      const again = await publish(side, 0);
      assert.equal(again.acked, false);
      assert.ok(again.ms < 200, `${client}: known down, a publish fails at once (${again.ms} ms)`);
    }
  });

  it('the broker appears: ready within the back-off cap, publishes go through, the consumer joins', async () => {
    await broker(START);
    for (const side of sides) {
      const ms = await eventually(() => side.bus.ready(), `${side.client} ready`, CAP_MS + MARGIN_MS);
      // Measured from the moment the start command returned (the broker answered its readiness check).
      process.stdout.write(`# ${side.client}: ready ${ms} ms after the broker was up\n`);
      for (let n = 1; n <= 5; n++) await publishUntilAcked(side, n);
    }
    for (const side of sides)
      await waitFor(
        () => [1, 2, 3, 4, 5].every((n) => ns(side.box.events).includes(n)),
        `${side.client}: 5 events`,
        () => ns(side.box.events),
        60_000,
      );
  });

  it('the broker is lost while running: publishes fail within the timeout, readiness drops', async () => {
    for (const side of sides) side.handledBeforeLoss = side.box.events.length;
    await broker(STOP);
    for (const side of sides) {
      const lost = await publish(side, 100);
      assert.equal(lost.acked, false, `${side.client}: not acknowledged`);
      assert.ok(lost.ms < PUBLISH_TIMEOUT_MS + MARGIN_MS, `${side.client}: ${lost.ms} ms`);
      assert.equal(await side.bus.ready(), false, side.client);
    }
  });

  it('the broker returns: ready again, the consumer resumes from its committed offset, nothing acked is lost', async () => {
    await broker(START);
    for (const side of sides) {
      await eventually(() => side.bus.ready(), `${side.client} ready again`, CAP_MS + MARGIN_MS);
      for (let n = 6; n <= 10; n++) await publishUntilAcked(side, n);
    }
    const back = performance.now();
    for (const side of sides) {
      const seen = () => new Set(ns(side.box.events));
      await waitFor(
        () => side.acked.every((n) => seen().has(n)),
        `${side.client}: every acknowledged event`,
        () => ({ acked: side.acked, seen: ns(side.box.events) }),
        60_000,
      );
      const ms = Math.round(performance.now() - back);
      process.stdout.write(`# ${side.client}: every acknowledged event consumed ${ms} ms after publishing\n`);
      // Handled (and committed) before the loss, then delivered again: a restart from the start. An event
      // whose late write arrives only now is not one of them.
      const before = new Set(ns(side.box.events.slice(0, side.handledBeforeLoss)));
      const again = ns(side.box.events.slice(side.handledBeforeLoss)).filter((n) => before.has(n));
      assert.deepEqual(again, [], `${side.client}: resumed from the committed offset, not from the start`);
    }
  });
});
