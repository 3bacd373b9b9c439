// Tasks 0-2, 0-9 and 0-3 on the real control plane (target `cluster`), through the real adapters:
// server-side apply, admission (Pod Security, quotas), drift by path, rollouts watched, topics through the
// Kafka API. One file, in order: later steps build on earlier ones (the namespaces). The observability
// stack and the demo: cluster-stack.test.ts.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import cluster from '../../tasks/02-cluster.js';
import redpanda from '../../tasks/03-redpanda.js';
import secrets from '../../tasks/09-secrets.js';
import data from '../../tasks/14-data.js';
import { randomBytes } from 'node:crypto';
import { ensureStarted, nestedRoot } from '../../scripts/test-servers/manager.js';
import {
  HOSTILE_ENV,
  PASSWORD,
  clusterWorkspace,
  kubectl,
  kubectlFails,
  outcome,
  persistentVolumes,
  recorder,
  runTasks,
  useCluster,
} from '../helpers/cluster.js';
import { root, useServer } from './servers.js';
import { assertUiIngress } from '../helpers/ingress.js';

const kube = await useCluster();
const kafkaShared = await useServer('kafka'); // only to know Kafka can run here; the tests use their own
const skip = kube.skip || kafkaShared.skip;

describe('tasks on a real Kubernetes control plane (target cluster)', { skip, timeout: 30 * 60_000 }, () => {
  const ws = clusterWorkspace(HOSTILE_ENV);
  let brokers: string[] = [];

  before(async () => {
    // A broker of its own: the topics file's six topics must not meet other tests' topics.
    const kafka = await ensureStarted(nestedRoot(root(), 'cluster-kafka'), 'kafka');
    brokers = [kafka.env.KAFKA_BROKERS ?? ''];
  });

  it('0-2: the namespaces converge by server-side apply, and a second run is ok', async () => {
    const first = await runTasks([cluster], { workspace: ws });
    assert.equal(first.get('0-2')?.outcome, 'changed', outcome(first, '0-2'));
    const second = await runTasks([cluster], { workspace: ws });
    assert.equal(second.get('0-2')?.outcome, 'ok', outcome(second, '0-2'));
    assert.match(
      second.get('0-2')?.reason ?? '',
      /Kubernetes v1\.35\.4; namespaces infra and services converged/,
    );
    // The policies as the API server stored them (its defaults applied, still no drift on the second run).
    assert.equal(
      kubectl(['-n', 'infra', 'get', 'networkpolicy', '-o', 'name']).trim(),
      'networkpolicy.networking.k8s.io/data-stores-from-platform',
    );
  });

  it('0-2: a hand edit is drift named by its path, and the next run puts it back', async () => {
    kubectl([
      '-n',
      'services',
      'patch',
      'resourcequota',
      'services-quota',
      '--type=merge',
      '-p',
      '{"spec":{"hard":{"pods":"99"}}}',
    ]);
    const plan = await runTasks([cluster], { workspace: ws, mode: 'plan' });
    assert.equal(plan.get('0-2')?.outcome, 'would-change');
    assert.equal(plan.get('0-2')?.diff, 'ResourceQuota services/services-quota: spec.hard.pods');
    assert.equal((await runTasks([cluster], { workspace: ws })).get('0-2')?.outcome, 'changed');
    assert.equal(
      kubectl([
        '-n',
        'services',
        'get',
        'resourcequota',
        'services-quota',
        '-o',
        'jsonpath={.spec.hard.pods}',
      ]),
      '20',
    );
  });

  it('services: Pod Security "restricted" refuses a privileged pod (also on a server dry run)', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: { name: privileged, namespace: services }
spec:
  containers:
    - name: x
      image: registry.invalid/x:1
      securityContext: { privileged: true }
      resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { memory: 16Mi } }
`;
    assert.match(
      kubectlFails(['apply', '--dry-run=server', '-f', '-'], pod),
      /violates PodSecurity "restricted:latest"/,
    );
    assert.match(
      kubectlFails(['apply', '-f', '-'], pod),
      /violates PodSecurity "restricted:latest": privileged/,
    );
  });

  it('services: the quota is enforced (a third 300Mi pod exceeds 768Mi of requests)', async () => {
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: quota-probe, namespace: services }
spec:
  replicas: 3
  selector: { matchLabels: { app: quota-probe } }
  template:
    metadata: { labels: { app: quota-probe } }
    spec:
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: RuntimeDefault } }
      containers:
        - name: x
          image: registry.invalid/x:1
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }
          resources: { requests: { cpu: 10m, memory: 300Mi }, limits: { memory: 300Mi } }
`;
    kubectl(['apply', '-f', '-'], deployment);
    let events = '';
    for (let i = 0; i < 100 && !/exceeded quota: services-quota/.test(events); i++) {
      await new Promise((r) => setTimeout(r, 200));
      events = kubectl([
        '-n',
        'services',
        'get',
        'events',
        '--field-selector',
        'reason=FailedCreate',
        '-o',
        'jsonpath={.items[*].message}',
      ]);
    }
    assert.match(events, /exceeded quota: services-quota, requested: requests\.memory=300Mi/);
    kubectl(['-n', 'services', 'delete', 'deployment', 'quota-probe', '--wait=false']);
  });

  it('0-9: app-secrets holds .env’s secrets byte for byte (quotes, newlines, spaces), and an edit is drift', async () => {
    const log = recorder();
    const first = await runTasks([secrets], { workspace: ws, log: log.log });
    assert.equal(first.get('0-9')?.outcome, 'changed', outcome(first, '0-9'));
    const data = JSON.parse(
      kubectl(['-n', 'services', 'get', 'secret', 'app-secrets', '-o', 'jsonpath={.data}']),
    ) as Record<string, string>;
    const decoded = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
    );
    assert.deepEqual(decoded, {
      DB_PASSWORD: '  leading and trailing spaces  ',
      GRAFANA_ADMIN_PASSWORD: PASSWORD,
      PAYMENTS_API_TOKEN: 'line one\nline two = with equals',
    });
    assert.equal((await runTasks([secrets], { workspace: ws })).get('0-9')?.outcome, 'ok');
    kubectl([
      '-n',
      'services',
      'patch',
      'secret',
      'app-secrets',
      '--type=merge',
      '-p',
      '{"stringData":{"DB_PASSWORD":"changed by hand"}}',
    ]);
    const plan = await runTasks([secrets], { workspace: ws, mode: 'plan' });
    assert.equal(plan.get('0-9')?.outcome, 'would-change');
    assert.match(plan.get('0-9')?.reason ?? '', /values differ from \.env/);
    assert.equal((await runTasks([secrets], { workspace: ws })).get('0-9')?.outcome, 'changed');
    const live = JSON.parse(kubectl(['-n', 'services', 'get', 'secret', 'app-secrets', '-o', 'json'])) as {
      metadata: { annotations?: Record<string, string> };
    };
    assert.deepEqual(
      Object.keys(live.metadata.annotations ?? {}).filter((k) => k.startsWith('foundation/')),
      [],
      'no hash of the values beside them (an annotation is readable where data is not)',
    );
    const everything = JSON.stringify([...first.values()]) + log.lines.join('\n');
    for (const value of [PASSWORD, 'line two = with equals', 'leading and trailing'])
      assert.ok(!everything.includes(value), 'no secret value in results or logs');
  });

  it('0-3: Redpanda and Console apply and roll out; the topics converge through the Kafka API', async () => {
    persistentVolumes(['2Gi']); // for redpanda's claim
    const first = await runTasks([redpanda], { workspace: ws, config: { kafkaBrokers: brokers } });
    assert.equal(first.get('0-3')?.outcome, 'changed', outcome(first, '0-3'));
    assert.equal(
      kubectl(['-n', 'infra', 'get', 'statefulset', 'redpanda', '-o', 'jsonpath={.status.readyReplicas}']),
      '1',
    );
    assert.equal(
      kubectl(['-n', 'infra', 'get', 'pvc', 'data-redpanda-0', '-o', 'jsonpath={.status.phase}']),
      'Bound',
    );
    const second = await runTasks([redpanda], { workspace: ws, config: { kafkaBrokers: brokers } });
    assert.equal(second.get('0-3')?.outcome, 'ok', outcome(second, '0-3'));
    assert.match(second.get('0-3')?.reason ?? '', /6 topics converged/);
  });

  it('0-3 on k3d: the Console Ingress is accepted and routes console.localhost to its Service and port', async () => {
    const config = { kafkaBrokers: brokers };
    // The same cluster seen as k3d's: the Ingress is what that target adds (kwok has no Traefik to serve it).
    const k3d = await runTasks([redpanda], { workspace: ws, config, target: 'k3d' });
    assert.equal(k3d.get('0-3')?.outcome, 'changed', outcome(k3d, '0-3'));
    assertUiIngress(kubectl, 'console');
    const again = await runTasks([redpanda], { workspace: ws, config, target: 'k3d' });
    assert.equal(again.get('0-3')?.outcome, 'ok', outcome(again, '0-3'));
    // Target cluster renders no Ingress (a shared cluster's ingress would expose a UI without a login),
    // and the Kafka listener's Service as ClusterIP, not a shared cluster's load balancer: seen from
    // there, that one object differs, and applying turns the live Service into one.
    const onCluster = await runTasks([redpanda], { workspace: ws, config, mode: 'plan' });
    assert.equal(onCluster.get('0-3')?.outcome, 'would-change', outcome(onCluster, '0-3'));
    assert.match(onCluster.get('0-3')?.reason ?? '', /1 Redpanda object\(s\) differ/);
    const applied = await runTasks([redpanda], { workspace: ws, config });
    assert.equal(applied.get('0-3')?.outcome, 'changed', outcome(applied, '0-3'));
    const type = kubectl([
      '-n',
      'infra',
      'get',
      'service',
      'redpanda-external',
      '-o',
      'jsonpath={.spec.type}',
    ]);
    assert.equal(type, 'ClusterIP');
    const settled = await runTasks([redpanda], { workspace: ws, config });
    assert.equal(settled.get('0-3')?.outcome, 'ok', outcome(settled, '0-3'));
  });

  it('0-14: PostgreSQL and Redis apply and roll out in infra with .env’s passwords; a second run is ok', async () => {
    persistentVolumes(['1Gi', '256Mi'], 1); // for their claims (test-pv-0 is redpanda's)
    const pg = `pg-${randomBytes(12).toString('hex')}`;
    const redis = `redis-${randomBytes(12).toString('hex')}`;
    const dataWs = clusterWorkspace(
      `POSTGRES_PASSWORD=${pg}\nREDIS_PASSWORD=${redis}\nFOUNDATION_TARGET=cluster\n`,
    );
    const first = await runTasks([data], { workspace: dataWs });
    assert.equal(first.get('0-14')?.outcome, 'changed', outcome(first, '0-14'));
    for (const name of ['postgres', 'redis'])
      assert.equal(
        kubectl(['-n', 'infra', 'get', 'statefulset', name, '-o', 'jsonpath={.status.readyReplicas}']),
        '1',
        name,
      );
    const stored = kubectl([
      '-n',
      'infra',
      'get',
      'secret',
      'data-credentials',
      '-o',
      'jsonpath={.data.REDIS_PASSWORD}',
    ]);
    assert.equal(Buffer.from(stored, 'base64').toString(), redis);
    const second = await runTasks([data], { workspace: dataWs });
    assert.equal(second.get('0-14')?.outcome, 'ok', outcome(second, '0-14'));
    assert.ok(
      !JSON.stringify([...first.values(), ...second.values()]).includes(pg),
      'no password in results',
    );
  });
});
