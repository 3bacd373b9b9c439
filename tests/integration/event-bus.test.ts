import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createWorld } from '../../lib/adapters/world.js';
import { execute } from '../../lib/graph/execute.js';
import { select } from '../../lib/graph/plan.js';
import { Redactor } from '../../lib/redact.js';
import redpanda from '../../tasks/03-redpanda.js';
import { ROOT, workspace } from '../helpers/cli.js';
import { CONFIG, silentLog } from '../helpers/fixtures.js';
import { fakeCompose } from '../helpers/fake-ports.js';
import { useServer } from './servers.js';

const kafka = await useServer('kafka');
const brokers = (kafka.env.KAFKA_BROKERS ?? '').split(',');
const script = (name: string, args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'kafka', `${name}.js`), ...args], {
    encoding: 'utf8',
    env: { ...process.env, KAFKA_BROKERS: brokers.join(',') },
  });

describe('event bus on the real broker', { skip: kafka.skip, timeout: 180_000 }, () => {
  it('task 0-3 (compose target, the Compose of 0-7 faked) converges the six topics through the real Kafka API', async () => {
    const ws = workspace();
    const config = { ...CONFIG, target: 'compose' as const, kafkaBrokers: brokers };
    // The real world (real Kafka API, real files) but a fake Compose: the broker is the test server.
    const world = createWorld({ config, workspace: ws.dir, redactor: new Redactor(), env: {} });
    const compose = fakeCompose(['redpanda', 'console']);
    await compose.up({ file: 'compose/docker-compose.yml' }); // task 0-7's part: the broker is running
    const contextFor = (_t: unknown, signal: AbortSignal) => {
      const real = world.contextFor(signal, silentLog);
      return { ...real, compose, platform: { ...real.platform, packageRoot: ROOT } };
    };
    const go = () =>
      execute({
        mode: 'run',
        selection: select([redpanda], null, false),
        target: 'compose',
        concurrency: 1,
        signal: new AbortController().signal,
        emit: () => undefined,
        contextFor,
      });
    const [first] = await go();
    assert.ok(first?.outcome === 'changed' || first?.outcome === 'ok', `${first?.outcome}: ${first?.reason}`);
    const [second] = await go();
    assert.equal(second?.outcome, 'ok', 'a second run changes nothing');
  });

  it('kafka-produce-test and kafka-consume-test move a bounded number of messages and say so', () => {
    const topic = `scripts-${randomUUID().slice(0, 8)}`;
    const produced = script('produce', ['--topic', topic, '--count', '750', '--size', '256']);
    assert.equal(produced.status, 0, produced.stderr);
    assert.match(
      produced.stdout,
      new RegExp(`produced 750 messages of 256 bytes to ${topic} .* msg/s, acks=all`),
    );
    const consumed = script('consume', ['--topic', topic, '--count', '750', '--timeout', '30']);
    assert.equal(consumed.status, 0, consumed.stderr);
    assert.match(consumed.stdout, /consumed 750 of 750 messages/);
    const short = script('consume', ['--topic', topic, '--count', '751', '--timeout', '2']);
    assert.equal(short.status, 3, 'fewer than asked before the time-out: exit 3');
    assert.equal(script('produce', ['--count', '5']).status, 2, 'no --topic: usage error');
  });

  it('--json: each script prints one versioned JSON line, its result or its error', () => {
    const topic = `json-${randomUUID().slice(0, 8)}`;
    const line = (r: { stdout: string }) => JSON.parse(r.stdout) as Record<string, unknown>;
    const produced = script('produce', ['--topic', topic, '--count', '20', '--size', '100', '--json']);
    assert.equal(produced.status, 0, produced.stderr);
    assert.deepEqual(
      { ...line(produced), ms: 0, messagesPerSec: 0 },
      {
        v: 1,
        type: 'kafka-produce',
        topic,
        brokers,
        count: 20,
        size: 100,
        acknowledged: 20,
        ms: 0,
        messagesPerSec: 0,
        acks: 'all',
      },
    );
    const consumed = script('consume', [
      '--topic',
      topic,
      '--count',
      '20',
      '--group',
      `g-${topic}`,
      '--json',
    ]);
    assert.equal(consumed.status, 0, consumed.stderr);
    assert.deepEqual(
      { ...line(consumed), ms: 0, first: '', last: '' }, // positions depend on the broker's partitions
      {
        v: 1,
        type: 'kafka-consume',
        topic,
        brokers,
        group: `g-${topic}`,
        count: 20,
        received: 20,
        first: '',
        last: '',
        ms: 0,
      },
    );
    const dry = script('topics', ['--dry-run', '--json']);
    assert.equal(line(dry).type, 'kafka-topics', dry.stderr);
    assert.equal(line(dry).dryRun, true);
    assert.ok((line(dry).undeclared as string[]).includes(topic), 'the script-made topic is not in the file');
    const refused = script('produce', ['--topic', 'no spaces', '--json']);
    assert.equal(refused.status, 2);
    assert.deepEqual(
      { ...line(refused), message: '', fix: '' },
      { v: 1, type: 'error', code: 'E_USAGE', message: '', fix: '', exitCode: 2 },
    );
  });

  it('a named group: the consumer commits what it counted and no further, so the next run reads the rest', () => {
    const topic = `scripts-${randomUUID().slice(0, 8)}`;
    const group = `g-${randomUUID().slice(0, 8)}`;
    assert.equal(script('produce', ['--topic', topic, '--count', '600', '--size', '64']).status, 0);
    const first = script('consume', ['--topic', topic, '--count', '100', '--group', group]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^consumed 100 of 100 messages/);
    const rest = script('consume', ['--topic', topic, '--count', '500', '--group', group, '--timeout', '30']);
    assert.equal(rest.status, 0, `${rest.stdout}${rest.stderr}`);
    assert.match(rest.stdout, /^consumed 500 of 500 messages/);
  });

  it('large values go in batches under the broker’s 1 MiB limit; --count takes digits only', () => {
    const topic = `scripts-${randomUUID().slice(0, 8)}`;
    const ok = script('produce', ['--topic', topic, '--count', '300', '--size', '6000']);
    assert.equal(ok.status, 0, `batches stay under the broker's 1 MiB: ${ok.stderr}`);
    const consumed = script('consume', ['--topic', topic, '--count', '1', '--timeout', '30']);
    assert.equal(consumed.status, 0, consumed.stderr);
    assert.match(
      script('produce', ['--topic', topic, '--count', '1e3']).stderr,
      /E_USAGE: --count must be a whole number/,
    );
  });

  it('a refused broker address: the producer says so at once (E_KAFKA_UNREACHABLE, the reason), not at --timeout', () => {
    const begun = performance.now();
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'dist', 'scripts', 'kafka', 'produce.js'),
        '--topic',
        'x',
        '--count',
        '1',
        '--timeout',
        '60',
        '--brokers',
        '127.0.0.1:1',
      ],
      { encoding: 'utf8', timeout: 90_000 },
    );
    assert.equal(r.status, 4, `${r.stdout}${r.stderr}`);
    assert.match(
      r.stderr,
      /^kafka-produce-test: E_KAFKA_UNREACHABLE: reaching 127\.0\.0\.1:1 failed: .*ECONNREFUSED/,
    );
    assert.match(r.stderr, /fix: start the broker/);
    // Before, it retried in silence for the whole --timeout (60 s) and then blamed the time.
    assert.ok(performance.now() - begun < 30_000, 'at once, not at the end of --timeout');
  });

  it('kafka-consume-test asks the broker first: a topic that is not there is exit 2 at once, no broker exit 4', () => {
    const missing = `no-such-topic-${randomUUID()}`;
    const r = script('consume', ['--topic', missing, '--count', '1', '--timeout', '2', '--json']);
    assert.equal(r.status, 2, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, new RegExp(`E_USAGE: topic ${missing} does not exist at `));
    assert.equal((JSON.parse(r.stdout) as { code: string }).code, 'E_USAGE');
    const away = spawnSync(
      process.execPath,
      [join(ROOT, 'dist', 'scripts', 'kafka', 'consume.js'), '--topic', 'x', '--brokers', '127.0.0.1:1'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(away.status, 4, away.stderr);
    assert.match(away.stderr, /E_KAFKA_UNREACHABLE: reaching 127\.0\.0\.1:1 failed: .*ECONNREFUSED/);
    assert.doesNotMatch(away.stderr, /not in group/);
  });
});
