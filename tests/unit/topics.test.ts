import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FoundationError } from '../../lib/errors.js';
import { reconcileTopics, unserved } from '../../lib/kafka/converge.js';
import { describeChange, describeLeaderless, planTopics, type ActualTopic } from '../../lib/kafka/plan.js';
import { parseTopicsFile } from '../../lib/kafka/topics-file.js';
import { ROOT } from '../helpers/cli.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { memoryAdmin } from '../helpers/topic-admin.js';

const FILE = join(ROOT, 'k8s', 'redpanda', 'topics.yaml');

describe('topics file', () => {
  it('declares the six Phase 0 topics with defaults applied (7-day retention unless overridden)', () => {
    const topics = parseTopicsFile(readFileSync(FILE, 'utf8'), 'topics.yaml');
    assert.deepEqual(
      topics.map((t) => t.name),
      [
        'market-data.candles.1m',
        'market-data.candles.5m',
        'market-data.trades',
        'signals.generated',
        'orders.placed',
        'orders.filled',
      ],
    );
    const five = topics.find((t) => t.name === 'market-data.candles.5m');
    assert.deepEqual(five, {
      name: 'market-data.candles.5m',
      partitions: 3,
      replicationFactor: 1,
      config: { 'retention.ms': '604800000', 'cleanup.policy': 'delete' },
    });
  });

  const bad: [string, string, RegExp][] = [
    ['YAML syntax', 'topics:\n  - name: a\n    partitions: [1,\n', /line \d+/],
    ['a missing name', 'topics:\n  - partitions: 3\n', /topics\[0\]: name/],
    [
      'a bad partition count',
      'topics:\n  - name: orders.placed\n    partitions: zero\n',
      /topic orders\.placed: partitions: /,
    ],
    ['an unknown field', 'topics:\n  - name: a\n    partitons: 3\n', /topic a: .*partitons/],
    ['a bad name', 'topics:\n  - name: "has space"\n', /topic has space: name: letters/],
    ['a duplicate', 'topics:\n  - name: a\n  - name: a\n', /topic a: name: declared twice/],
    [
      'a non-numeric retention',
      'topics:\n  - name: a\n    config:\n      retention.ms: a week\n',
      /topic a: config\.retention\.ms: expected a whole number/,
    ],
    ['no topics', 'defaults: {}\n', /topics: /],
    [
      'a list where a topic should be',
      'topics:\n  - [a]\n',
      /topics\[0\]: \(the entry\): Invalid input: expected object, received array/,
    ],
    [
      'defaults as a list',
      'defaults: []\ntopics:\n  - name: a\n',
      /defaults: Invalid input: expected object/,
    ],
    [
      'a config name that is not one',
      'topics:\n  - name: a\n    config:\n      Retention_MS: 1\n',
      /topic a: config\.Retention_MS: a Kafka config name like retention\.ms/,
    ],
    ['a name Kafka refuses', 'topics:\n  - name: ".."\n', /topic \.\.: name: Kafka refuses "\." and "\.\."/],
    [
      'names whose metrics collide',
      'topics:\n  - name: coll.x\n  - name: coll_x\n',
      /topic coll_x: name: collides with coll\.x/,
    ],
    [
      'a number past 2^53, unquoted',
      'topics:\n  - name: a\n    config:\n      retention.bytes: 9223372036854775807\n',
      /topic a: config\.retention\.bytes: a number past 2\^53 loses digits in YAML: write it in quotes/,
    ],
  ];
  for (const [name, text, message] of bad) {
    it(`rejects ${name}, naming the file, topic and field`, () => {
      assert.throws(
        () => parseTopicsFile(text, 'k8s/redpanda/topics.yaml'),
        (e: unknown) =>
          e instanceof FoundationError &&
          e.code === 'E_TOPICS_FILE_MALFORMED' &&
          e.exitCode === 2 &&
          e.message.startsWith('k8s/redpanda/topics.yaml is malformed') &&
          message.test(e.message),
      );
    });
  }
});

describe('topics file values as the broker stores them', () => {
  it('lists lose the spaces after their commas, big numbers in quotes keep every digit, ratios stay', () => {
    const [topic] = parseTopicsFile(
      'topics:\n  - name: a\n    config:\n      cleanup.policy: "compact, delete"\n      retention.bytes: "9223372036854775807"\n      min.cleanable.dirty.ratio: 0.5\n',
      'f.yaml',
    );
    assert.deepEqual(topic?.config, {
      'cleanup.policy': 'compact,delete',
      'retention.bytes': '9223372036854775807',
      'min.cleanable.dirty.ratio': '0.5',
    });
  });
});

describe('topic plan', () => {
  const want = [{ name: 'a', partitions: 3, replicationFactor: 1, config: { 'retention.ms': '604800000' } }];
  const have = (over: Partial<ActualTopic> = {}): ActualTopic => ({
    name: 'a',
    partitions: 3,
    replicationFactor: 1,
    config: { 'retention.ms': '604800000' },
    leaderless: 0,
    ...over,
  });

  it('creates what is missing', () => {
    const plan = planTopics(want, []);
    assert.deepEqual(plan.changes.map(describeChange), ['a: create (3 partitions, replication 1)']);
  });

  it('changes nothing when converged', () => {
    assert.deepEqual(planTopics(want, [have()]), { changes: [], manual: [], leaderless: [], undeclared: [] });
  });

  it('alters a drifted config, keeping overrides set by hand', () => {
    const plan = planTopics(want, [have({ config: { 'retention.ms': '3600000', 'segment.ms': '1000' } })]);
    assert.deepEqual(plan.changes, [
      {
        kind: 'alter-config',
        topic: 'a',
        config: { 'retention.ms': '604800000', 'segment.ms': '1000' },
        changed: [{ key: 'retention.ms', from: '3600000', to: '604800000' }],
      },
    ]);
  });

  it('increases partitions but never shrinks them', () => {
    assert.deepEqual(planTopics(want, [have({ partitions: 1 })]).changes.map(describeChange), [
      'a: partitions 1 → 3',
    ]);
    const more = planTopics(want, [have({ partitions: 8 })]);
    assert.deepEqual(more.changes, []);
    assert.equal(more.manual[0]?.setting, 'partitions');
    assert.match(more.manual[0]?.fix ?? '', /cannot shrink/);
  });

  it('reports undeclared topics, deletes them only with prune, and ignores internal ones', () => {
    const actual = [
      have(),
      have({ name: 'stray' }),
      have({ name: '__consumer_offsets' }),
      have({ name: '_schemas' }),
    ];
    assert.deepEqual(planTopics(want, actual).undeclared, ['stray']);
    assert.deepEqual(planTopics(want, actual).changes, []);
    assert.deepEqual(planTopics(want, actual, { prune: true }).changes, [{ kind: 'delete', topic: 'stray' }]);
  });

  it('prune with a set deletes only the topics a person confirmed; one that appeared since stays', () => {
    const actual = [have(), have({ name: 'stray' }), have({ name: 'newcomer' })];
    const plan = planTopics(want, actual, { prune: new Set(['stray']) });
    assert.deepEqual(plan.changes, [{ kind: 'delete', topic: 'stray' }]);
    assert.deepEqual(plan.undeclared, ['newcomer', 'stray']);
    assert.deepEqual(planTopics(want, actual, { prune: new Set() }).changes, []);
  });
});

describe('topics served on every partition', () => {
  const want = [{ name: 'a', partitions: 3, replicationFactor: 1, config: {} }];
  const topic = (over: Partial<ActualTopic> = {}): ActualTopic => ({
    name: 'a',
    partitions: 3,
    replicationFactor: 1,
    config: {},
    leaderless: 0,
    ...over,
  });

  it('a declared topic with partitions that have no leader is listed, by topic and count', () => {
    const plan = planTopics(want, [topic({ leaderless: 2 }), topic({ name: 'stray', leaderless: 1 })]);
    assert.deepEqual(plan.leaderless, [{ topic: 'a', leaderless: 2, partitions: 3 }]);
    assert.deepEqual(plan.leaderless.map(describeLeaderless), ['a: 2 of 3 partitions have no leader']);
    assert.equal(
      describeLeaderless({ topic: 'b', leaderless: 1, partitions: 1 }),
      'b: 1 of 1 partition has no leader',
    );
    assert.deepEqual(plan.changes, [], 'nothing to apply: only to wait for');
  });

  it('unserved: not listed, partitions not all listed, or not led', () => {
    const two = [...want, { name: 'b', partitions: 6, replicationFactor: 1, config: {} }];
    assert.deepEqual(unserved(planTopics(two, [])), ['a: not listed yet', 'b: not listed yet']);
    assert.deepEqual(
      unserved(planTopics(two, [topic({ leaderless: 1 }), topic({ name: 'b', partitions: 4 })])),
      ['b: 4 of 6 partitions listed', 'a: 1 of 3 partitions has no leader'],
    );
    assert.deepEqual(unserved(planTopics(two, [topic(), topic({ name: 'b', partitions: 6 })])), []);
  });

  it('the reconciler returns only once every created topic has a leader on each partition', async () => {
    const admin = memoryAdmin();
    const create = admin.create.bind(admin);
    // The broker lists a new topic at once, but elects its leaders a little later.
    let looks = 0;
    admin.create = async (t) => {
      const made = await create(t);
      admin.topics.set(t.name, { ...(admin.topics.get(t.name) as ActualTopic), leaderless: t.partitions });
      return made;
    };
    const describe = admin.describe.bind(admin);
    const served: string[][] = [];
    admin.describe = (names) => {
      served.push([...names]);
      if (++looks === 4) for (const [k, v] of admin.topics) admin.topics.set(k, { ...v, leaderless: 0 });
      return describe(names);
    };
    const clock = fakeClock();
    const result = await reconcileTopics(admin, want, { clock });
    assert.equal(result.applied.length, 1);
    assert.deepEqual(result.after.leaderless, []);
    assert.equal(looks, 4, 'the plan, then three looks after creating');
    assert.deepEqual(served, [['a'], ['a'], ['a'], ['a']], 'the leaders are asked about the declared topics');
    assert.equal(clock.sleeps.length, 2);
  });

  it('a topic another client creates after the first look: planned for as it is, not a failure', async () => {
    // The broker's metadata has not caught up with a create just made elsewhere: the first look misses it.
    const theirs = topic({ partitions: 8, config: { 'retention.ms': '1' } });
    const admin = memoryAdmin([theirs]);
    const describe = admin.describe.bind(admin);
    let looks = 0;
    admin.describe = (names) => (++looks === 1 ? Promise.resolve([]) : describe(names));
    const week = [
      { name: 'a', partitions: 3, replicationFactor: 1, config: { 'retention.ms': '604800000' } },
    ];
    const result = await reconcileTopics(admin, week, { clock: fakeClock() });
    assert.deepEqual(
      result.plan.changes.map((c) => c.kind),
      ['create'],
      'what the first look planned',
    );
    assert.deepEqual(
      result.applied.map((c) => c.kind),
      ['alter-config'],
      'only what this run changed: its declared config, on the topic as it is',
    );
    assert.deepEqual(
      result.after.manual.map((m) => [m.setting, m.actual]),
      [['partitions', '8']],
    );
    assert.deepEqual(admin.topics.get('a')?.config, { 'retention.ms': '604800000' });
    assert.equal(admin.topics.get('a')?.partitions, 8, 'never shrunk');
  });

  it('a created topic still not listed after the race: E_WAIT_TIMEOUT naming it', async () => {
    const admin = memoryAdmin([topic()]);
    admin.describe = () => Promise.resolve([]); // the broker never lists it
    await assert.rejects(
      reconcileTopics(admin, want, { clock: fakeClock(), servedTimeoutMs: 5_000 }),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_WAIT_TIMEOUT' &&
        /another client created.*last seen: a: not listed yet$/.test(e.message),
    );
  });

  it('converged and led: one look, no waiting', async () => {
    const admin = memoryAdmin([topic()]);
    const clock = fakeClock();
    const result = await reconcileTopics(admin, want, { clock });
    assert.deepEqual(result.applied, []);
    assert.deepEqual(clock.sleeps, []);
  });

  it('partitions that stay without a leader: E_WAIT_TIMEOUT naming the topic, never a silent success', async () => {
    const admin = memoryAdmin([topic({ leaderless: 3 })]);
    const clock = fakeClock();
    await assert.rejects(
      reconcileTopics(admin, want, { clock, servedTimeoutMs: 10_000 }),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_WAIT_TIMEOUT' &&
        /after 10\.0 s .*last seen: a: 3 of 3 partitions have no leader$/.test(e.message),
    );
    assert.equal(clock.elapsed, 10_000);
  });
});
