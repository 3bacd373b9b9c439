import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createKube, connectKube } from '../../lib/adapters/kube.js';
import { createShell } from '../../lib/adapters/shell.js';
import { FoundationError } from '../../lib/errors.js';
import { objectsDrift } from '../../lib/k8s/converge.js';
import type { Kube, KubeObject } from '../../lib/ports/kube.js';
import { ROOT } from '../helpers/cli.js';
import { kubectl, useCluster } from '../helpers/cluster.js';
import { silentLog } from '../helpers/fixtures.js';
import { freePort } from './demo.js';

const cluster = await useCluster();
const ns = `adapter-${randomUUID().slice(0, 8)}`;

const kube = (): Kube =>
  createKube(connectKube(), createShell({ cwd: ROOT, signal: new AbortController().signal, log: silentLog }));

const deployment = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1', ...extra }] },
    },
  },
});

const rejection = async (p: Promise<unknown>): Promise<FoundationError> => {
  try {
    await p;
  } catch (error) {
    assert.ok(error instanceof FoundationError, String(error));
    return error;
  }
  throw new Error('expected a FoundationError');
};

describe('the Kubernetes adapter on a real API server', { skip: cluster.skip, timeout: 180_000 }, () => {
  before(async () => {
    await kube().apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });
  after(() => {
    kubectl(['delete', 'namespace', ns, '--wait=false']);
  });

  it('reports the server version the harness built (v1.35.4) and one Ready node', async () => {
    const k = kube();
    assert.equal(await k.version(), 'v1.35.4');
    assert.deepEqual(await k.nodes(), [{ name: 'kwok-node-0', ready: true }]);
  });

  it('server-side apply: a dry run stores nothing, apply stores, a second apply changes nothing', async () => {
    const k = kube();
    const d = deployment('ssa');
    await k.apply(d, { dryRun: true });
    assert.equal(await k.read(d), null, 'the dry run persisted nothing');
    const created = await k.apply(d);
    const generation = (created.metadata as { generation?: number }).generation;
    const again = await k.apply(d);
    assert.equal(
      (again.metadata as { generation?: number }).generation,
      generation,
      'the spec did not change',
    );
    assert.deepEqual(await objectsDrift(k, [d]), []);
  });

  it('a field changed by another manager is drift, named by path, and apply takes it back', async () => {
    const k = kube();
    const d = deployment('taken');
    await k.apply(d);
    kubectl(['-n', ns, 'scale', 'deployment/taken', '--replicas=5']);
    assert.deepEqual(await objectsDrift(k, [d]), [`Deployment ${ns}/taken: spec.replicas`]);
    await k.apply(d);
    assert.deepEqual(await objectsDrift(k, [d]), []);
  });

  it('watches a rollout to the end, also of a new revision', async () => {
    const k = kube();
    await k.apply(deployment('roll'));
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'roll', namespace: ns };
    const first = await k.rollout(ref, { timeoutMs: 60_000 });
    assert.equal(first.ready, true, JSON.stringify(first));
    await k.apply(deployment('roll', { image: 'registry.invalid/app:2' }));
    assert.equal((await k.rollout(ref, { timeoutMs: 60_000 })).ready, true);
    // Items of a list answer carry no kind; the adapter puts it back (readiness is judged by kind).
    const listed = (await k.list('apps/v1', 'Deployment', ns)).filter((o) => o.metadata?.name === 'roll');
    assert.deepEqual(
      listed.map((o) => `${o.apiVersion ?? ''} ${o.kind ?? ''} ${o.metadata?.name ?? ''}`),
      ['apps/v1 Deployment roll'],
    );
  });

  it('a rollout that cannot finish ends at its time limit with the reason', async () => {
    const k = kube();
    const stuck = deployment('stuck');
    (stuck.spec as { template: { spec: Record<string, unknown> } }).template.spec.nodeSelector = {
      nowhere: 'true',
    };
    await k.apply(stuck);
    const result = await k.rollout(
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'stuck', namespace: ns },
      { timeoutMs: 3_000 },
    );
    assert.equal(result.ready, false);
    assert.match(result.ready ? '' : result.reason, /deployment\/stuck: 0\/2 replicas ready/);
  });

  it('one replica, a new revision that cannot start: not ready, though the old pod still serves', async () => {
    const k = kube();
    const one = (extra: Record<string, unknown> = {}): KubeObject => {
      const d = deployment('single', extra);
      (d.spec as { replicas: number }).replicas = 1;
      return d;
    };
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'single', namespace: ns };
    await k.apply(one());
    assert.equal((await k.rollout(ref, { timeoutMs: 60_000 })).ready, true);
    const pending = one({ image: 'registry.invalid/app:2' });
    (pending.spec as { template: { spec: Record<string, unknown> } }).template.spec.nodeSelector = {
      nowhere: 'true',
    };
    await k.apply(pending);
    const result = await k.rollout(ref, { timeoutMs: 5_000 });
    assert.equal(result.ready, false, 'readyReplicas 1 is the old pod: the rollout is not complete');
    assert.match(result.ready ? '' : result.reason, /1 old replica\(s\) still running/);
  });

  it('a kind the cluster does not serve (no CRD): said as such, with what installs it', async () => {
    const e = await rejection(
      kube().apply({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'nowhere', namespace: ns },
        spec: { selector: {}, endpoints: [] },
      }),
    );
    assert.equal(e.code, 'E_KUBE_NOT_FOUND');
    assert.match(`${e.message}\n${e.fix ?? ''}`, /does not serve this kind[\s\S]*foundation run 0-4/);
  });

  it('builds a kustomization with kubectl and deletes what it is asked to', async () => {
    const k = kube();
    const objects = await k.build(join(ROOT, 'k8s', 'redpanda'));
    assert.deepEqual(
      objects.map((o) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`),
      [
        'Service/infra/redpanda',
        'Service/infra/redpanda-console',
        'Service/infra/redpanda-external',
        'Deployment/infra/redpanda-console',
        'StatefulSet/infra/redpanda',
      ],
    );
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ssa', namespace: ns };
    assert.equal(await k.delete(ref), true);
    assert.equal(await k.delete({ ...ref, name: 'never-was' }), false);
  });

  it('classifies what the API says: invalid (with the field), forbidden, unreachable', async () => {
    const bad = deployment('bad-selector');
    (bad.spec as { selector: unknown }).selector = { matchLabels: { app: 'other' } };
    const invalid = await rejection(kube().apply(bad));
    assert.equal(invalid.code, 'E_KUBE_INVALID');
    assert.match(
      invalid.message,
      /spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/,
    );
    assert.doesNotMatch(invalid.message, /HTTP-Code|Headers/);
    const saved = process.env.KUBECONFIG;
    try {
      process.env.KUBECONFIG = cluster.env.KUBECONFIG_VIEWER;
      assert.equal((await rejection(kube().nodes())).code, 'E_KUBE_FORBIDDEN');
      const closed = await freePort(); // nothing listens there
      const config = kubectl(['config', 'view', '--raw', '--kubeconfig', saved ?? '']).replace(
        /127\.0\.0\.1:\d+/,
        `127.0.0.1:${String(closed)}`,
      );
      const file = join(cluster.kubeconfig, '..', 'unreachable.kubeconfig');
      writeFileSync(file, config);
      process.env.KUBECONFIG = file;
      assert.equal((await rejection(kube().version())).code, 'E_KUBE_UNREACHABLE');
    } finally {
      process.env.KUBECONFIG = saved;
    }
  });
});
