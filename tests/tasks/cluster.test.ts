import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import cluster from '../../tasks/02-cluster.js';
import { createdCluster } from '../../lib/k8s/cluster-change.js';
import { ROOT } from '../helpers/cli.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { fakeKube } from '../helpers/fake-kube.js';
import { fakeContext, runOne } from '../helpers/fixtures.js';
import { fakeDocker, fakeK3d } from '../helpers/fake-ports.js';

const NS_FILES = ['infra.yaml', 'services.yaml', 'network-policies.yaml', 'shared-cluster.yaml'];

function clusterWorld(state: 'missing' | 'stopped' | 'running', kube = fakeKube(), busy: number[] = []) {
  const k3d = fakeK3d(
    state === 'missing'
      ? []
      : [{ name: 'foundation', servers: 1, serversRunning: state === 'running' ? 1 : 0 }],
  );
  const fileMap = new Map(
    NS_FILES.map((f) => [
      join('/pkg', 'k8s', 'namespaces', f),
      readFileSync(join(ROOT, 'k8s', 'namespaces', f), 'utf8'),
    ]),
  );
  fileMap.set('/pkg/k8s/k3d-config.yaml', readFileSync(join(ROOT, 'k8s', 'k3d-config.yaml'), 'utf8'));
  const clock = fakeClock();
  const asked: number[] = [];
  const listeners = {
    inUse: (_host: string, port: number) => {
      asked.push(port);
      return Promise.resolve(busy.includes(port));
    },
  };
  return { ctx: fakeContext({ k3d, fileMap, kube, clock, listeners }), k3d, kube, clock, asked };
}

describe('task 0-2 cluster', () => {
  it('a missing cluster is created from k8s/k3d-config.yaml, then the namespaces are applied', async () => {
    const { ctx, k3d, kube } = clusterWorld('missing');
    assert.deepEqual(await cluster.check(ctx), {
      status: 'missing',
      reason: 'k3d cluster foundation does not exist',
      changes: [{ path: 'k3d cluster foundation', want: 'running', have: null }],
    });
    const { result } = await runOne(cluster, ctx, 'k3d');
    assert.equal(result?.outcome, 'changed');
    assert.ok(createdCluster(result.changes), 'the run records a creation (validate counts it)');
    assert.deepEqual(k3d.calls, [
      'create foundation --config /pkg/k8s/k3d-config.yaml --agents 0 --volume /pkg/k8s/audit:/etc/foundation/audit',
    ]);
    assert.equal(kube.applied.length, 11, 'namespaces, quotas, limit ranges, network policies');
    assert.ok(kube.store.has('NetworkPolicy/services/default-deny'));
    assert.ok(!kube.store.has('NetworkPolicy/infra/data-stores-from-platform'), 'a shared cluster’s only');
  });

  it('target cluster (a cluster Foundation shares): the data stores are also closed to other namespaces', async () => {
    const { ctx, k3d, kube } = clusterWorld('missing');
    const { result } = await runOne(cluster, { ...ctx, target: 'cluster' });
    assert.equal(result?.outcome, 'changed');
    assert.deepEqual(k3d.calls, [], 'no k3d on target cluster');
    assert.equal(kube.applied.length, 12);
    assert.ok(kube.store.has('NetworkPolicy/infra/data-stores-from-platform'));
    assert.equal((await cluster.check({ ...ctx, target: 'cluster' })).status, 'ok');
  });

  it('a port of k3d-config.yaml another program listens on: E_PORT_IN_USE before k3d runs; a running cluster is not asked', async () => {
    for (const state of ['missing', 'stopped'] as const) {
      const { ctx, k3d } = clusterWorld(state, fakeKube(), [8443]);
      const { result } = await runOne(cluster, ctx, 'k3d');
      assert.equal(result?.error?.code, 'E_PORT_IN_USE', state);
      assert.equal(
        result?.error?.message,
        'k3d cluster foundation cannot start: another program listens on 127.0.0.1:8443 (k3d)',
      );
      assert.deepEqual(k3d.calls, [], `${state}: k3d was not asked to create or start`);
    }
    const { ctx, asked } = clusterWorld('running', fakeKube(), [8443]);
    await runOne(cluster, ctx, 'k3d');
    assert.deepEqual(asked, [], 'its own ports');
  });

  it('a stopped cluster is started', async () => {
    const { ctx, k3d } = clusterWorld('stopped');
    assert.deepEqual(await cluster.check(ctx), {
      status: 'drift',
      reason: 'k3d cluster foundation is stopped',
      changes: [{ path: 'k3d cluster foundation', want: 'running', have: 'stopped' }],
    });
    const { result } = await runOne(cluster, ctx, 'k3d');
    assert.deepEqual(k3d.calls, ['start foundation']);
    assert.ok(!createdCluster(result?.changes), 'a start is not a creation');
  });

  it('after a start it waits for the nodes (an API not answering yet is part of the wait), then applies', async () => {
    const kube = fakeKube({ nodesReady: false });
    kube.reachable = false;
    const nodes = kube.nodes.bind(kube);
    let asked = 0;
    kube.nodes = () => {
      asked++;
      if (asked === 2) kube.reachable = true;
      if (asked === 3) kube.nodesReady = true;
      return nodes();
    };
    const { ctx, clock } = clusterWorld('stopped', kube);
    const { result } = await runOne(cluster, ctx, 'k3d');
    assert.equal(result?.outcome, 'changed', result?.reason);
    assert.equal(clock.sleeps.length, 2, 'two pauses: unreachable, then not Ready');
    assert.equal(kube.applied.length, 11);
  });

  it('nodes never Ready: fails at the deadline naming them and how to see why, and applies nothing', async () => {
    const kube = fakeKube({ nodesReady: false });
    const { ctx, clock } = clusterWorld('stopped', kube);
    const { result } = await runOne(cluster, ctx, 'k3d');
    assert.equal(result?.outcome, 'failed');
    assert.equal(result?.error?.code, 'E_WAIT_TIMEOUT');
    assert.match(
      result?.reason ?? '',
      /^gave up waiting for every node of the cluster to be Ready after 120\.0 s \(\d+ tries\); last seen: nodes not Ready: k3d-foundation-server-0$/,
    );
    assert.equal(result?.hint, 'see why: kubectl get nodes; kubectl describe node k3d-foundation-server-0');
    assert.equal(clock.elapsed, 120_000);
    assert.deepEqual(kube.applied, [], 'it does not carry on');
  });

  it('a drifted namespace object is found by path and re-applied', async () => {
    const { ctx, kube } = clusterWorld('running');
    await cluster.apply(ctx);
    const quota = kube.store.get('ResourceQuota/services/services-quota');
    assert.ok(quota);
    kube.store.set('ResourceQuota/services/services-quota', {
      ...quota,
      spec: { hard: { ...(quota.spec as { hard: object }).hard, pods: '99' } },
    });
    const drift = await cluster.check(ctx);
    assert.equal(drift.status, 'drift');
    assert.equal(
      drift.status === 'drift' ? drift.diff : '',
      'ResourceQuota services/services-quota: spec.hard.pods',
    );
    await cluster.apply(ctx);
    assert.equal((await cluster.check(ctx)).status, 'ok');
  });

  it('converged: ok, and apply never runs', async () => {
    const { ctx, kube } = clusterWorld('running');
    await cluster.apply(ctx);
    kube.applied.length = 0;
    const { result } = await runOne(cluster, ctx, 'k3d');
    assert.equal(result?.outcome, 'ok');
    assert.equal(kube.applied.length, 0);
  });

  it('a cluster made before its ports were bound to loopback: ok, with a warning naming them and the fix', async () => {
    const warnings: string[] = [];
    const log = { info: () => undefined, debug: () => undefined, warn: (l: string) => warnings.push(l) };
    const lb = 'k3d-foundation-serverlb';
    for (const [hostIp, said] of [
      [
        '0.0.0.0',
        /publishes \*:19092 beyond this machine \(\* is every interface.*scripts\/cluster-destroy then foundation all/,
      ],
      ['127.0.0.1', null],
    ] as const) {
      warnings.length = 0;
      const { ctx } = clusterWorld('running');
      await cluster.apply(ctx);
      const published = {
        [lb]: [
          { containerPort: '19092/tcp', hostIp, hostPort: '19092' },
          ...(hostIp === '0.0.0.0' ? [{ containerPort: '19092/tcp', hostIp: '::', hostPort: '19092' }] : []),
          { containerPort: '6443/tcp', hostIp: '127.0.0.1', hostPort: '41234' },
        ],
      };
      const r = await cluster.check({ ...ctx, log, docker: fakeDocker({ published }) });
      assert.equal(r.status, 'ok');
      if (said === null) assert.deepEqual(warnings, []);
      else assert.match(warnings.join('\n'), said);
    }
  });

  it('the open-ports warning is said once in a run that applies (check, apply, re-check)', async () => {
    const warnings: string[] = [];
    const log = { info: () => undefined, debug: () => undefined, warn: (l: string) => warnings.push(l) };
    const { ctx, kube } = clusterWorld('running');
    const published = {
      'k3d-foundation-serverlb': [{ containerPort: '19092/tcp', hostIp: '0.0.0.0', hostPort: '19092' }],
    };
    const run = { ...ctx, log, docker: fakeDocker({ published }) };
    const { result } = await runOne(cluster, run, 'k3d');
    assert.equal(result?.outcome, 'changed', 'the namespaces were missing: applied');
    assert.ok(kube.applied.length > 0);
    assert.equal(warnings.filter((w) => w.includes('publishes *:19092')).length, 1, warnings.join('\n'));
    // Another run (a new context) says it again.
    await cluster.check({ ...run });
    assert.equal(warnings.filter((w) => w.includes('publishes *:19092')).length, 2);
  });

  it('an unreachable API blocks with the fix', async () => {
    const kube = fakeKube();
    kube.reachable = false;
    const { ctx } = clusterWorld('running', kube);
    const r = await cluster.check(ctx);
    assert.equal(r.status, 'blocked');
    assert.match(
      r.status === 'blocked' ? `${r.reason} | ${r.hint}` : '',
      /does not answer \(ECONNREFUSED\) \| start the cluster: foundation run 0-2/,
    );
  });

  it('is skipped on the compose target', async () => {
    const { ctx } = clusterWorld('missing');
    assert.equal((await runOne(cluster, ctx, 'compose')).result?.outcome, 'skipped');
  });
});
