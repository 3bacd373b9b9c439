import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import {
  definition,
  ensureStarted,
  missing,
  nestedRoot,
  running,
  stop,
} from '../../scripts/test-servers/manager.js';
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

  it(
    'restarts Kafka on the same ports and data: every acknowledged message is still there',
    { timeout: 120_000 },
    async () => {
      const first = await ensureStarted(root, 'kafka');
      assert.equal(
        (await ensureStarted(root, 'kafka')).pid,
        first.pid,
        'a second start reuses the running server',
      );
      const client = () =>
        new Kafka({
          brokers: [first.env.KAFKA_BROKERS ?? ''],
          logLevel: logLevel.NOTHING,
          retry: { retries: 10 },
        });
      const topic = `durable-${randomUUID()}`;
      const producer = client().producer({ idempotent: true });
      await producer.connect();
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: 100 }, (_, i) => ({ value: `v${i}` })),
      });
      await producer.disconnect();

      assert.equal(await stop(root, 'kafka'), true);
      assert.equal(running(root, 'kafka'), null);
      const second = await ensureStarted(root, 'kafka');
      assert.notEqual(second.pid, first.pid);
      assert.deepEqual(second.ports, first.ports);

      const admin = client().admin();
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(topic);
      await admin.disconnect();
      assert.equal(
        offsets.reduce((n, p) => n + Number(p.high), 0),
        100,
      );
    },
  );
});
