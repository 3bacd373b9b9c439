// kafkajs with its broker away: the outage is said once (by the broker link), not by kafkajs on every
// attempt of every client (it wrote about 50 lines in 4 s: two per attempt, the readiness probe's and the
// consumer's). Its other messages come through, at most once a minute.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafkajsBus } from '../src/bus/kafkajs.js';
import { REPEAT_MS, kafkajsLog } from '../src/bus/kafkajs-log.js';
import { createLogger } from '../src/telemetry/index.js';
import { closedPort, jsonLines } from './helpers.js';

function recorded(): { lines: Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const { logs, destination } = jsonLines();
  return { lines: logs, logger: createLogger({ name: 'test', level: 'info', destination }) };
}

describe('kafkajs log lines', () => {
  it('connection errors are left out; another message once a minute, then with how often it came', () => {
    const { lines, logger } = recorded();
    let now = 0;
    const log = kafkajsLog(logger, () => now);
    log({ log: { message: 'Connection error: connect ECONNREFUSED 127.0.0.1:9' } });
    log({ log: { message: 'Failed to connect to seed broker, trying another broker from the list: x' } });
    log({
      log: {
        message: 'Crash: KafkaJSNumberOfRetriesExceeded',
        error: 'Connection error: connect ECONNREFUSED',
      },
    });
    for (const at of [0, 1_000, 2_000, REPEAT_MS + 1]) {
      now = at;
      log({ log: { message: 'The group is rebalancing, re-joining', groupId: 'g' } });
    }
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg, l.repeated]),
      [
        ['warn', 'kafka: The group is rebalancing, re-joining', undefined],
        ['warn', 'kafka: The group is rebalancing, re-joining', 2],
      ],
    );
    assert.deepEqual(lines[0]?.kafka, { message: 'The group is rebalancing, re-joining', groupId: 'g' });
  });

  it('a real kafkajs bus with no broker, consuming and probed: one line says the outage', async () => {
    const { lines, logger } = recorded();
    const bus = createKafkajsBus({
      brokers: [`127.0.0.1:${await closedPort()}`],
      clientId: 'test',
      logger,
      publishTimeoutMs: 1_000,
      reconnect: { baseMs: 100, capMs: 500 },
    });
    await bus.consume(['kafkajs-log-test'], 'kafkajs-log-test', async () => undefined);
    for (let i = 0; i < 4; i++) {
      assert.equal((await bus.readiness()).ready, false);
      await sleep(700);
    }
    await bus.stopConsuming();
    await bus.close();
    assert.deepEqual(
      lines.map((l) => l.msg),
      ['kafka broker unreachable: reconnecting with back-off'],
    );
  });
});
