import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Target } from '../../lib/model/task.js';
import redpanda from '../../tasks/03-redpanda.js';
import { ROOT } from '../helpers/cli.js';
import { fakeContext, runOne } from '../helpers/fixtures.js';
import { fakeKube, kustomizationObjects } from '../helpers/fake-kube.js';
import { fakeCompose } from '../helpers/fake-ports.js';
import { stackSourceFiles } from '../helpers/compose-project.js';
import { memoryAdmin } from '../helpers/topic-admin.js';

const TOPICS = readFileSync(join(ROOT, 'k8s', 'redpanda', 'topics.yaml'), 'utf8');

function world(opts: { target?: Target; topicsFile?: string; running?: boolean; reachable?: boolean } = {}) {
  const broker = memoryAdmin();
  const compose = fakeCompose(['redpanda', 'console']);
  const kube = fakeKube({
    builds: { [join('/pkg', 'k8s', 'redpanda')]: kustomizationObjects(join(ROOT, 'k8s', 'redpanda')) },
  });
  kube.reachable = opts.reachable ?? true;
  if (opts.running === true) void compose.up({ file: '/pkg/compose/docker-compose.yml' });
  const up = () => compose.running.length > 0 || kube.store.size > 0;
  const fileMap = new Map([
    [join('/pkg', 'k8s', 'redpanda', 'topics.yaml'), opts.topicsFile ?? TOPICS],
    ...stackSourceFiles(),
  ]);
  const ctx = fakeContext({
    compose,
    kube,
    fileMap,
    target: opts.target ?? 'compose',
    kafka: { connect: () => (up() ? Promise.resolve(broker) : Promise.reject(new Error('ECONNREFUSED'))) },
  });
  return { ctx, compose, kube, broker };
}

const runTask = (ctx: ReturnType<typeof world>['ctx'], target: Target) => runOne(redpanda, ctx, target);

describe('task 0-3 redpanda', () => {
  it('compose: without the broker of 0-7 it is blocked, naming 0-7, and starts nothing itself', async () => {
    const { ctx, compose } = world();
    assert.deepEqual(await redpanda.check(ctx), {
      status: 'blocked',
      reason: 'Compose services not running and healthy: redpanda, console',
      hint: 'foundation run 0-7 --target compose',
    });
    const { result } = await runTask(ctx, 'compose');
    assert.equal(result?.outcome, 'blocked');
    assert.deepEqual(compose.ups, []);
  });

  it('compose: on the healthy broker of 0-7, the six topics are created; then converged', async () => {
    const { ctx, compose, broker } = world({ running: true });
    assert.equal(compose.running.length, 2);
    const { result } = await runTask(ctx, 'compose');
    assert.equal(result?.outcome, 'changed');
    assert.equal(broker.topics.size, 6);
    assert.equal(broker.topics.get('market-data.trades')?.config['retention.ms'], '259200000');
    assert.equal((await redpanda.check(ctx)).status, 'ok');
  });

  it('k3d: missing objects → applied by server-side apply, then both rollouts watched, in that order', async () => {
    const { ctx, kube } = world({ target: 'k3d' });
    const first = await redpanda.check(ctx);
    assert.equal(first.status, 'drift');
    assert.match(first.status === 'drift' ? (first.diff ?? '') : '', /StatefulSet infra\/redpanda: missing/);
    await runTask(ctx, 'k3d');
    assert.deepEqual(kube.applied, [
      'StatefulSet/infra/redpanda',
      'Service/infra/redpanda',
      'Service/infra/redpanda-external',
      'Deployment/infra/redpanda-console',
      'Service/infra/redpanda-console',
      'Ingress/infra/foundation-console', // k3d: http://console.localhost:8080
    ]);
    assert.deepEqual(kube.rollouts, ['StatefulSet/infra/redpanda', 'Deployment/infra/redpanda-console']);
    assert.equal((await redpanda.check(ctx)).status, 'ok');
  });

  it('cluster: the Kafka listener is a ClusterIP Service (no load balancer of a shared cluster), no Ingress', async () => {
    const { ctx, kube } = world({ target: 'cluster' });
    await runTask(ctx, 'cluster');
    const type = (name: string) => (kube.store.get(`Service/infra/${name}`)?.spec as { type?: string }).type;
    assert.equal(type('redpanda-external'), 'ClusterIP');
    assert.ok(!kube.applied.some((a) => a.startsWith('Ingress/')), kube.applied.join(' '));
    assert.equal((await redpanda.check(ctx)).status, 'ok');
    const k3d = world({ target: 'k3d' });
    await runTask(k3d.ctx, 'k3d');
    assert.equal(
      (k3d.kube.store.get('Service/infra/redpanda-external')?.spec as { type?: string }).type,
      'LoadBalancer',
    );
  });

  it('k3d: a rollout that never completes fails the task naming the workload and why', async () => {
    const { ctx } = world({ target: 'k3d' });
    const stuck = fakeKube({
      workloadsReady: false,
      builds: { [join('/pkg', 'k8s', 'redpanda')]: kustomizationObjects(join(ROOT, 'k8s', 'redpanda')) },
    });
    const { result } = await runTask({ ...ctx, kube: stuck }, 'k3d');
    assert.equal(result?.outcome, 'failed');
    assert.match(
      result?.reason ?? '',
      /statefulset\/redpanda did not roll out in 240 s: .*0\/1 replicas ready/,
    );
  });

  it('k3d: an unreachable cluster blocks with the fix', async () => {
    const { ctx } = world({ target: 'k3d', reachable: false });
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

  it('partitions without a leader are drift; the run waits until they are led, then converges', async () => {
    const { ctx, broker } = world({ running: true });
    await runTask(ctx, 'compose');
    const orders = broker.topics.get('orders.placed');
    assert.ok(orders);
    broker.topics.set('orders.placed', { ...orders, leaderless: 2 });
    const drift = await redpanda.check(ctx);
    assert.deepEqual(drift, {
      status: 'drift',
      reason: '1 topic(s) without a leader on every partition',
      diff: 'orders.placed: 2 of 3 partitions have no leader',
      changes: [{ path: 'topics/orders.placed/leaders', want: '3 of 3', have: '1 of 3' }],
    });
    // The broker elects the leaders a moment later: the third look finds them.
    const describe = broker.describe.bind(broker);
    let looks = 0;
    broker.describe = (served) => {
      if (++looks === 3) broker.topics.set('orders.placed', { ...orders, leaderless: 0 });
      return describe(served);
    };
    const { result } = await runTask(ctx, 'compose');
    assert.equal(result?.outcome, 'changed', result?.reason);
    assert.equal((await redpanda.check(ctx)).status, 'ok');
  });

  it('partitions that stay without a leader fail the run at the deadline, naming the topic', async () => {
    const { ctx, broker } = world({ running: true });
    await runTask(ctx, 'compose');
    const orders = broker.topics.get('orders.placed');
    assert.ok(orders);
    broker.topics.set('orders.placed', { ...orders, leaderless: 3 });
    const { result } = await runTask(ctx, 'compose');
    assert.equal(result?.outcome, 'failed');
    assert.equal(result?.error?.code, 'E_WAIT_TIMEOUT');
    assert.match(
      result?.reason ?? '',
      /every declared topic to have a leader on each partition after 30\.0 s .*last seen: orders\.placed: 3 of 3 partitions have no leader$/,
    );
  });

  it('a broker that never answers fails with E_KAFKA_UNREACHABLE, the address, the last error and the fix', async () => {
    const { ctx } = world({ running: true });
    const down = { ...ctx, kafka: { connect: () => Promise.reject(new Error('connect ECONNREFUSED')) } };
    const { result } = await runTask(down, 'compose');
    assert.equal(result?.outcome, 'failed');
    assert.equal(result?.error?.code, 'E_KAFKA_UNREACHABLE');
    assert.match(
      result?.reason ?? '',
      /^gave up waiting for the Kafka API at localhost:19092 after 60\.0 s \(\d+ tries\); last seen: connect ECONNREFUSED$/,
    );
    assert.match(result?.hint ?? '', /docker compose -f .* logs redpanda/);
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
