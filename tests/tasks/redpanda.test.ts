import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Target } from '../../lib/model/task.js';
import redpanda from '../../tasks/03-redpanda.js';
import { ROOT } from '../helpers/cli.js';
import { fakeContext, ok, runOne, scriptedShell } from '../helpers/fixtures.js';
import { memoryAdmin } from '../helpers/topic-admin.js';

const TOPICS = readFileSync(join(ROOT, 'k8s', 'redpanda', 'topics.yaml'), 'utf8');

function world(opts: { target?: Target; topicsFile?: string; running?: boolean; diffCode?: number } = {}) {
  let running = opts.running ?? false;
  let diffCode = opts.diffCode ?? 1;
  const broker = memoryAdmin();
  const sh = scriptedShell(
    {
      'docker compose -f compose/redpanda.yaml ps --status running --services': () =>
        running ? ok('redpanda\nconsole\n') : ok(''),
      'docker compose -f compose/redpanda.yaml up -d --wait': () => ((running = true), ok('started')),
      'kubectl diff -k k8s/redpanda': () =>
        diffCode === 0 ? ok('') : { exitCode: diffCode, stdout: '+ kind: StatefulSet', stderr: '' },
      'kubectl apply -k k8s/redpanda': () => ((diffCode = 0), (running = true), ok('applied')),
      'kubectl -n infra rollout status statefulset/redpanda --timeout=240s': ok('rolled out'),
      'kubectl -n infra rollout status deployment/redpanda-console --timeout=120s': ok('rolled out'),
      'kubectl -n infra get statefulset redpanda -o jsonpath={.status.readyReplicas}': () =>
        running ? ok('1') : ok(''),
      'kubectl -n infra get deployment redpanda-console -o jsonpath={.status.readyReplicas}': () =>
        running ? ok('1') : ok(''),
    },
    ['docker', 'kubectl'],
  );
  const fileMap = new Map([[join('/pkg', 'k8s', 'redpanda', 'topics.yaml'), opts.topicsFile ?? TOPICS]]);
  const ctx = fakeContext({
    sh,
    fileMap,
    target: opts.target ?? 'compose',
    kafka: { connect: () => (running ? Promise.resolve(broker) : Promise.reject(new Error('ECONNREFUSED'))) },
  });
  return { ctx, sh, broker };
}

const runTask = (ctx: ReturnType<typeof world>['ctx'], target: Target) => runOne(redpanda, ctx, target);

describe('task 0-3 redpanda', () => {
  it('compose: missing services → up, wait for the broker, create the six topics; then converged', async () => {
    const { ctx, sh, broker } = world();
    assert.deepEqual(await redpanda.check(ctx), {
      status: 'missing',
      reason: 'compose services not running: redpanda, console',
    });
    const { result } = await runTask(ctx, 'compose');
    assert.equal(result?.outcome, 'changed');
    assert.ok(sh.calls.includes('docker compose -f compose/redpanda.yaml up -d --wait'));
    assert.equal(broker.topics.size, 6);
    assert.equal(broker.topics.get('market-data.trades')?.config['retention.ms'], '259200000');
    assert.equal((await redpanda.check(ctx)).status, 'ok');
  });

  it('k3d: drifted manifests → kubectl apply -k and rollouts, in that order', async () => {
    const { ctx, sh } = world({ target: 'k3d' });
    const first = await redpanda.check(ctx);
    assert.equal(first.status, 'drift');
    await runTask(ctx, 'k3d');
    const kubectl = sh.calls.filter((c) => /^kubectl (apply|-n infra rollout)/.test(c));
    assert.deepEqual(kubectl, [
      'kubectl apply -k k8s/redpanda',
      'kubectl -n infra rollout status statefulset/redpanda --timeout=240s',
      'kubectl -n infra rollout status deployment/redpanda-console --timeout=120s',
    ]);
    assert.equal((await redpanda.check(ctx)).status, 'ok');
  });

  it('k3d: an unreachable cluster blocks with the fix', async () => {
    const { ctx } = world({ target: 'k3d', diffCode: 2 });
    const r = await redpanda.check(ctx);
    assert.equal(r.status, 'blocked');
    assert.match(r.status === 'blocked' ? r.hint : '', /foundation run 0-2/);
  });

  it('topic drift is listed per topic and setting, and reconciled', async () => {
    const { ctx, broker } = world({ running: true });
    await runTask(ctx, 'compose');
    const orders = broker.topics.get('orders.placed');
    assert.ok(orders);
    broker.topics.set('orders.placed', { ...orders, config: { ...orders.config, 'retention.ms': '1000' } });
    const drift = await redpanda.check(ctx);
    assert.equal(drift.status, 'drift');
    assert.equal(drift.status === 'drift' ? drift.diff : '', 'orders.placed: retention.ms 1000 → 604800000');
    await runTask(ctx, 'compose');
    assert.equal((await redpanda.check(ctx)).status, 'ok');
  });

  it('more partitions than declared: blocked with the manual step, never shrunk', async () => {
    const { ctx, broker } = world({ running: true });
    await runTask(ctx, 'compose');
    const trades = broker.topics.get('market-data.trades');
    assert.ok(trades);
    broker.topics.set('market-data.trades', { ...trades, partitions: 12 });
    const r = await redpanda.check(ctx);
    assert.equal(r.status, 'blocked');
    assert.match(r.status === 'blocked' ? r.hint : '', /cannot shrink/);
    assert.equal(broker.topics.get('market-data.trades')?.partitions, 12);
  });

  it('a malformed topics file fails the task with exit 2, naming file, topic and field', async () => {
    const { ctx } = world({
      running: true,
      topicsFile: 'topics:\n  - name: orders.placed\n    partitions: many\n',
    });
    const { result, code } = await runTask(ctx, 'compose');
    assert.equal(result?.outcome, 'failed');
    assert.equal(result?.error?.code, 'E_TOPICS_FILE_MALFORMED');
    assert.match(
      result?.reason ?? '',
      /k8s\/redpanda\/topics\.yaml is malformed:\n {2}- topic orders\.placed: partitions:/,
    );
    assert.equal(code, 2);
  });
});
