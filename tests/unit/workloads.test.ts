import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notReady } from '../../lib/k8s/workloads.js';
import {
  dashboardConfigMap,
  datasourceConfigMap,
  grafanaAdminSecret,
} from '../../lib/observability/grafana-objects.js';

const w = (kind: string, spec: object, status: object, generation = 2) => ({
  kind,
  metadata: { name: 'x', generation },
  spec,
  status: { observedGeneration: 2, ...status },
});

describe('workload readiness', () => {
  const up = (n: number) => ({ replicas: n, readyReplicas: n, updatedReplicas: n, availableReplicas: n });
  const cases: [string, ReturnType<typeof w>, string | null][] = [
    ['deployment ready', w('Deployment', { replicas: 1 }, up(1)), null],
    [
      'deployment starting',
      w('Deployment', { replicas: 2 }, { ...up(2), readyReplicas: 1, availableReplicas: 1 }),
      '1/2 replicas ready (2 up to date)',
    ],
    [
      // one replica, the default surge: the new pod cannot start, the old one still serves (and is ready)
      'deployment whose new pod stays Pending',
      w(
        'Deployment',
        { replicas: 1 },
        { replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 },
      ),
      '1 old replica(s) still running: the new ones are not all up',
    ],
    [
      'deployment not yet updated',
      w(
        'Deployment',
        { replicas: 2 },
        { replicas: 2, updatedReplicas: 0, readyReplicas: 2, availableReplicas: 2 },
      ),
      '2/2 replicas ready (0 up to date)',
    ],
    [
      'statefulset old revision',
      w('StatefulSet', { replicas: 1 }, { readyReplicas: 1, updatedReplicas: 0 }),
      '1/1 replicas ready (0 up to date)',
    ],
    [
      'statefulset pods on two revisions',
      w(
        'StatefulSet',
        { replicas: 2 },
        { readyReplicas: 2, updatedReplicas: 1, currentRevision: 'r-1', updateRevision: 'r-2' },
      ),
      '1/2 pods at the new revision',
    ],
    [
      'statefulset rolled out',
      w(
        'StatefulSet',
        { replicas: 2 },
        { readyReplicas: 2, updatedReplicas: 2, currentRevision: 'r-2', updateRevision: 'r-2' },
      ),
      null,
    ],
    [
      'statefulset with a partition: the pods above it updated',
      w(
        'StatefulSet',
        { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } },
        { readyReplicas: 3, updatedReplicas: 1, currentRevision: 'r-1', updateRevision: 'r-2' },
      ),
      null,
    ],
    [
      'statefulset OnDelete: ready is enough',
      w(
        'StatefulSet',
        { replicas: 1, updateStrategy: { type: 'OnDelete' } },
        { readyReplicas: 1, updatedReplicas: 0, currentRevision: 'r-1', updateRevision: 'r-2' },
      ),
      null,
    ],
    ['rollout not observed', w('Deployment', { replicas: 1 }, up(1), 3), 'rollout not observed yet'],
    ['scaled to zero', w('StatefulSet', { replicas: 0 }, {}), null],
    [
      'daemonset ready',
      w(
        'DaemonSet',
        {},
        { desiredNumberScheduled: 1, numberReady: 1, updatedNumberScheduled: 1, numberAvailable: 1 },
      ),
      null,
    ],
    ['daemonset nowhere', w('DaemonSet', {}, { desiredNumberScheduled: 0 }), 'no node runs it'],
    [
      'daemonset not ready',
      w('DaemonSet', {}, { desiredNumberScheduled: 1, numberReady: 0, updatedNumberScheduled: 1 }),
      '0/1 pods ready (1 up to date, 0 available)',
    ],
    [
      // the API leaves numberAvailable out when it is 0
      'daemonset ready but not available yet',
      w('DaemonSet', {}, { desiredNumberScheduled: 1, numberReady: 1, updatedNumberScheduled: 1 }),
      '1/1 pods ready (1 up to date, 0 available)',
    ],
  ];
  for (const [name, object, expected] of cases)
    it(name, () => {
      assert.equal(notReady(object), expected);
    });
});

describe('Grafana objects', () => {
  it('a dashboard becomes a ConfigMap the sidecar picks up; a broken one is refused by name', () => {
    const cm = dashboardConfigMap({ name: 'overview', text: '{"uid":"u","panels":[]}' }, 'infra');
    assert.equal(cm.metadata?.name, 'foundation-dashboard-overview');
    assert.equal(cm.metadata?.labels?.grafana_dashboard, '1');
    assert.deepEqual(cm.data, { 'overview.json': '{"uid":"u","panels":[]}' });
    assert.throws(
      () => dashboardConfigMap({ name: 'bad', text: '{' }, 'infra'),
      /bad\.json is not valid JSON/,
    );
    assert.throws(
      () => dashboardConfigMap({ name: 'nouid', text: '{"panels":[]}' }, 'infra'),
      /nouid\.json needs a string "uid"/,
    );
  });

  it('a datasource file becomes a ConfigMap labelled grafana_datasource; each entry needs a uid', () => {
    const cm = datasourceConfigMap(
      { name: 'loki', text: 'apiVersion: 1\ndatasources: [{uid: loki}]\n' },
      'infra',
    );
    assert.equal(cm.metadata?.labels?.grafana_datasource, '1');
    assert.throws(
      () => datasourceConfigMap({ name: 'x', text: 'datasources: [{name: a}]' }, 'infra'),
      /x\.yaml needs/,
    );
  });

  it('the admin Secret carries user and password (base64), nothing else', () => {
    const s = grafanaAdminSecret('s3cret-value-of-some-length', 'infra');
    assert.deepEqual(Object.keys(s.data), ['admin-password', 'admin-user']);
    assert.equal(
      Buffer.from(s.data['admin-password'] ?? '', 'base64').toString(),
      's3cret-value-of-some-length',
    );
    assert.ok(!JSON.stringify(s.metadata).includes('s3cret'));
  });
});
