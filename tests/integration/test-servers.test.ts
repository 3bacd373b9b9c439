import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import {
  definition,
  ensureStarted,
  missing,
  nestedRoot,
  running,
  stop,
} from '../../scripts/test-servers/manager.js';
import { consumeValues } from '../helpers/consume.js';
import { sendValues, storedCount, testAdmin, testProducer } from '../helpers/kafka.js';
import { IN_CI } from '../helpers/tools.js';
import { root as runRoot } from './servers.js';

// A Kafka of this file's own (not the run's shared one): it is stopped and started again.
const why = missing(definition('kafka'));
if (why && IN_CI) throw new Error(why);
const root = nestedRoot(runRoot(), 'restart');

describe('test-servers manager', { skip: why ?? false }, () => {
  after(async () => {
    await stop(root, 'kafka');
  });

  // The durability the event-bus tests rely on: a broker stopped and started again keeps every acknowledged
  // message, in order (the broker's data directory outlives its process).
  it(
    'restarts Kafka on the same ports and data: every acknowledged message is still there, in order',
    { timeout: 180_000 },
    async () => {
      const first = await ensureStarted(root, 'kafka');
      assert.equal(
        (await ensureStarted(root, 'kafka')).pid,
        first.pid,
        'a second start reuses the running server',
      );
      const at = [first.env.KAFKA_BROKERS ?? ''];
      const topic = `durable-${randomUUID()}`;
      const producer = testProducer(at, { retries: 10 });
      const acked: string[] = [];
      for (let i = 0; i < 5; i++) {
        const batch = Array.from({ length: 100 }, (_, j) => `v${i * 100 + j}`);
        await sendValues(producer, topic, batch);
        acked.push(...batch);
      }
      await producer.close();

      assert.equal(await stop(root, 'kafka'), true);
      assert.equal(running(root, 'kafka'), null);
      const second = await ensureStarted(root, 'kafka');
      assert.notEqual(second.pid, first.pid);
      assert.deepEqual(second.ports, first.ports);

      const admin = testAdmin(at);
      try {
        assert.equal(await storedCount(admin, topic), acked.length);
      } finally {
        await admin.close();
      }
      const seen = await consumeValues(at, topic, `after-restart-${randomUUID()}`, acked.length, 60_000);
      assert.deepEqual(seen, acked);
    },
  );
});
