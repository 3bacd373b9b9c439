import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigResourceTypes } from '@platformatic/kafka';
import { connectTopicAdmin } from '../../lib/adapters/kafka-admin.js';
import { reconcileTopics } from '../../lib/kafka/converge.js';
import { FoundationError } from '../../lib/errors.js';
import { parseTopicsFile, type DesiredTopic } from '../../lib/kafka/topics-file.js';
import { ROOT } from '../helpers/cli.js';
import { consumeValues } from '../helpers/consume.js';
import { sendValues, testAdmin, testProducer } from '../helpers/kafka.js';
import { useServer } from './servers.js';

const kafka = await useServer('kafka');
const brokers = (kafka.env.KAFKA_BROKERS ?? '').split(',');
const WEEK = '604800000';

describe('topics reconciler on the real broker', { skip: kafka.skip, timeout: 120_000 }, () => {
  let admin: Awaited<ReturnType<typeof connectTopicAdmin>>;
  const raw = testAdmin(brokers);
  const id = randomUUID().slice(0, 8);
  const topic = (name: string, over: Partial<DesiredTopic> = {}): DesiredTopic => ({
    name: `t-${id}.${name}`,
    partitions: 3,
    replicationFactor: 1,
    config: { 'retention.ms': WEEK, 'cleanup.policy': 'delete' },
    ...over,
  });
  const mine = async () => (await admin.describe([])).filter((t) => t.name.startsWith(`t-${id}.`));

  before(async () => {
    admin = await connectTopicAdmin(brokers);
  });
  after(async () => {
    await admin.close();
    await raw.close();
  });

  it('creates every topic from empty; a second run changes nothing', async () => {
    const desired = [topic('a'), topic('b', { partitions: 6 })];
    const first = await reconcileTopics(admin, desired);
    assert.equal(first.applied.length, 2);
    assert.deepEqual(first.after.changes, []);
    const actual = await mine();
    assert.deepEqual(actual.map((t) => [t.name, t.partitions, t.config['retention.ms']]).sort(), [
      [`t-${id}.a`, 3, WEEK],
      [`t-${id}.b`, 6, WEEK],
    ]);
    const second = await reconcileTopics(admin, desired);
    assert.deepEqual(second.plan.changes, []);
  });

  it('once it returns, every partition of a new topic takes a produce at once (no retry anywhere)', async () => {
    // Connected before the topics exist, so each send asks the broker for their metadata then and there.
    const producer = testProducer(brokers, { retries: 0 });
    await producer.metadata({ topics: [] });
    try {
      for (let round = 0; round < 5; round++) {
        const fresh = topic(`led${round}`, { partitions: 6 });
        const result = await reconcileTopics(admin, [fresh]);
        assert.deepEqual(result.after.leaderless, []);
        for (let partition = 0; partition < fresh.partitions; partition++)
          await producer.send({
            messages: [{ topic: fresh.name, partition, value: `p${partition}` }],
            autocreateTopics: false,
          });
      }
    } finally {
      await producer.close();
    }
  });

  it('detects a retention changed by hand, names topic and setting, and fixes it', async () => {
    const desired = [topic('c')];
    await reconcileTopics(admin, desired);
    await raw.alterConfigs({
      resources: [
        {
          resourceType: ConfigResourceTypes.TOPIC,
          resourceName: `t-${id}.c`,
          configs: [
            { name: 'retention.ms', value: '3600000' },
            { name: 'cleanup.policy', value: 'delete' },
          ],
        },
      ],
    });
    // The broker acknowledges the change before every read serves it (KRaft propagates it through the
    // metadata log): wait until the hand-made value is what a describe sees, as an operator would.
    const live = async () => (await mine()).find((t) => t.name === `t-${id}.c`)?.config['retention.ms'];
    for (const deadline = Date.now() + 20_000; (await live()) !== '3600000';) {
      assert.ok(
        Date.now() < deadline,
        `the hand-made retention was never read back (${String(await live())})`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const result = await reconcileTopics(admin, desired);
    assert.deepEqual(
      result.plan.changes.map((c) => (c.kind === 'alter-config' ? c.changed : null)),
      [[{ key: 'retention.ms', from: '3600000', to: WEEK }]],
    );
    assert.equal((await mine()).find((t) => t.name === `t-${id}.c`)?.config['retention.ms'], WEEK);
  });

  it('increases partitions', async () => {
    await reconcileTopics(admin, [topic('d', { partitions: 2 })]);
    const result = await reconcileTopics(admin, [topic('d', { partitions: 5 })]);
    assert.deepEqual(
      result.applied.map((c) => c.kind),
      ['add-partitions'],
    );
    assert.equal((await mine()).find((t) => t.name === `t-${id}.d`)?.partitions, 5);
  });

  it('reports a topic with more partitions than declared, and does not shrink it', async () => {
    await raw.createTopics({
      topics: [{ topic: `t-${id}.e`, partitions: 8, replicas: 1 }],
      configs: [
        { name: 'retention.ms', value: WEEK },
        { name: 'cleanup.policy', value: 'delete' },
      ],
    });
    const result = await reconcileTopics(admin, [topic('e', { partitions: 3 })]);
    assert.deepEqual(result.applied, []);
    assert.equal(result.after.manual[0]?.setting, 'partitions');
    assert.equal(result.after.manual[0]?.actual, '8');
    assert.equal((await mine()).find((t) => t.name === `t-${id}.e`)?.partitions, 8);
  });

  it('a create that finds the topic made by another client answers `exists`, not an error', async () => {
    const theirs = topic('g', { partitions: 2 });
    assert.equal(await admin.create(theirs), 'created');
    assert.equal(await admin.create({ ...theirs, partitions: 5 }), 'exists');
    assert.equal((await mine()).find((t) => t.name === theirs.name)?.partitions, 2);
  });

  it('a consumer that was offline catches up from its committed offset', async () => {
    const name = `t-${id}.f`;
    await reconcileTopics(admin, [topic('f', { partitions: 1 })]);
    const producer = testProducer(brokers);
    const send = (from: number, n: number) =>
      sendValues(
        producer,
        name,
        Array.from({ length: n }, (_, i) => `m${from + i}`),
      );
    // What was processed is committed, so the second read starts after it.
    const consumeUntil = (count: number) => consumeValues(brokers, name, `g-${id}`, count);
    await send(0, 50);
    assert.equal((await consumeUntil(50)).length, 50);
    await send(50, 100); // the group is offline
    const caughtUp = await consumeUntil(100);
    assert.deepEqual(
      caughtUp,
      Array.from({ length: 100 }, (_, i) => `m${50 + i}`),
      'exactly the messages it missed, in order',
    );
    await producer.close();
  });

  it('a change the broker refuses: E_KAFKA_REFUSED naming the topic and what was done before it', async () => {
    const desired = [topic('fine'), topic('too-many-replicas', { replicationFactor: 3 }), topic('later')];
    await assert.rejects(reconcileTopics(admin, desired), (e: unknown) => {
      assert.ok(e instanceof FoundationError, String(e));
      assert.equal(e.code, 'E_KAFKA_REFUSED');
      assert.equal(e.exitCode, 2);
      assert.match(
        e.message,
        new RegExp(`^topic t-${id}\\.too-many-replicas: the broker refused it: .*INVALID_REPLICATION_FACTOR`),
      );
      assert.match(
        e.message,
        new RegExp(`done before it: t-${id}\\.fine: create .*; not tried: t-${id}\\.later: create`),
      );
      return true;
    });
  });

  it('a list config written with spaces in the file converges once, not on every run', async () => {
    const desired = parseTopicsFile(
      `topics:\n  - name: t-${id}.listed\n    config:\n      cleanup.policy: "compact, delete"\n`,
      'topics.yaml',
    );
    assert.equal((await reconcileTopics(admin, desired)).applied.length, 1);
    const again = await reconcileTopics(admin, desired);
    assert.deepEqual([again.applied.length, again.after.changes.length], [0, 0]);
  });

  it('scripts/kafka-topics-create rejects a malformed topics file with exit 2, naming file, topic and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'topics-'));
    const file = join(dir, 'topics.yaml');
    writeFileSync(file, 'topics:\n  - name: orders.placed\n    partitions: -1\n');
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'dist', 'scripts', 'kafka', 'topics.js'), '--file', file, '--brokers', brokers.join(',')],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is malformed:\\n {2}- topic orders\\.placed: partitions: `,
      ),
    );
  });

  it('scripts/kafka-topics-create --prune without a terminal names what it would delete and deletes nothing', async () => {
    const extra = `t-${id}.not-in-file`;
    await reconcileTopics(admin, [{ name: extra, partitions: 1, replicationFactor: 1, config: {} }]);
    const dir = mkdtempSync(join(tmpdir(), 'topics-'));
    const file = join(dir, 'topics.yaml');
    writeFileSync(file, `topics:\n  - name: t-${id}.kept\n`);
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'dist', 'scripts', 'kafka', 'topics.js'),
        '--file',
        file,
        '--brokers',
        brokers.join(','),
        '--prune',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /E_USAGE: --prune would delete \d+ topic\(s\) not in .*topics\.yaml: .*not-in-file/,
    );
    assert.match(r.stderr, /pass --yes to delete them/);
    const names = (await admin.describe([])).map((t) => t.name);
    assert.ok(names.includes(extra), 'still there');
    assert.ok(!names.includes(`t-${id}.kept`), 'nothing changed at all, not even the create');
  });
});
