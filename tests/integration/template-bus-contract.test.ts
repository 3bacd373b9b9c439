// The service template's EventBus contract (service-template/test/event-bus.contract.test.ts: order per
// key, at-least-once across a restart, offline catch-up, headers, trace propagation), run inside the
// built demo against the real broker, for both Kafka clients. Without a broker the template's own run
// skips it; here it must run and pass.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nestedEnv, runNested } from '../helpers/nested-node.js';
import { restartableKafka } from '../helpers/restartable-kafka.js';
import { DEMO, buildDemo } from './demo.js';
import { root, useServer } from './servers.js';

const kafka = await useServer('kafka');

/** A nested `node --test` in the built demo; --test-force-exit ends it once its tests are done. */
const run = (args: string[], env: NodeJS.ProcessEnv, ms: number) =>
  runNested(['--test', '--test-force-exit', ...args], { cwd: DEMO, env, timeoutMs: ms });

const count = (out: string, what: string): number => Number(new RegExp(`ℹ ${what} (\\d+)`).exec(out)?.[1]);

describe('the EventBus contract of the service template', { skip: kafka.skip, timeout: 900_000 }, () => {
  it('holds for @platformatic/kafka and for kafkajs on the real broker', async () => {
    buildDemo();
    const { code, out } = await run(
      ['--test-concurrency=1', 'dist/test/event-bus.contract.test.js'],
      nestedEnv({ KAFKA_CONTRACT_BROKERS: kafka.env.KAFKA_BROKERS ?? '' }),
      400_000,
    );
    assert.equal(code, 0, out);
    for (const client of ['platformatic', 'kafkajs'])
      assert.match(out, new RegExp(`✔ EventBus over ${client}`), `the ${client} suite ran and passed`);
    assert.ok(count(out, 'tests') >= 10, out);
    assert.equal(count(out, 'pass'), count(out, 'tests'), out);
    assert.equal(count(out, 'skipped'), 0, out);
  });

  it('holds with the broker away, for both clients: absent at start, lost while running, back', async () => {
    buildDemo();
    // A broker of this test's own, which the contract stops and starts (never the shared one).
    const own = await restartableKafka(root(), 'template-restart');
    const { code, out } = await run(
      ['dist/test/event-bus.restart.test.js'],
      nestedEnv({
        KAFKA_RESTART_BROKERS: own.brokers,
        KAFKA_RESTART_START: own.commands.start,
        KAFKA_RESTART_STOP: own.commands.stop,
      }),
      400_000,
    ).finally(() => own.stop());
    assert.equal(code, 0, out);
    assert.match(out, /✔ EventBus with the broker away \(both clients\)/);
    assert.equal(count(out, 'tests'), 4, out);
    assert.equal(count(out, 'pass'), 4, out);
    assert.equal(count(out, 'skipped'), 0, out);
    // What it measured, in this test's output: time to ready after the broker was up, catch-up time.
    for (const line of out.split('\n').filter((l) => /^# (platformatic:|kafkajs:|broker )/.test(l)))
      process.stdout.write(`${line}\n`);
  });
});
