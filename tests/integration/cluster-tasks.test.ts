// Tasks 0-2, 0-9, 0-3, 0-4/0-5/0-6 and 0-10 on the real control plane (target `cluster`), through the
// real adapters: server-side apply, admission, rollouts watched, real helm installing the pinned charts
// from a chart repository on loopback, a real image build. What kwok's fake pods make meaningless is said
// where it happens. One file, in order: later steps build on earlier ones (the namespaces).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CONTENT_HASH } from '../../lib/k8s/secret.js';
import type { TaskResult } from '../../lib/model/outcome.js';
import cluster from '../../tasks/02-cluster.js';
import redpanda from '../../tasks/03-redpanda.js';
import prometheus from '../../tasks/04-prometheus.js';
import loki from '../../tasks/05-loki.js';
import tempo from '../../tasks/06-tempo.js';
import secrets from '../../tasks/09-secrets.js';
import template from '../../tasks/10-template.js';
import { ensureStarted, nestedRoot } from '../../scripts/test-servers/manager.js';
import { serveCharts } from '../helpers/chart-repo.js';
import { chartsDir } from '../helpers/charts.js';
import {
  clusterWorkspace,
  kubectl,
  kubectlFails,
  packageCopy,
  recorder,
  runTasks,
  useCluster,
  useDocker,
} from '../helpers/cluster.js';
import { ensureNodeImage } from '../helpers/images.js';
import { root, useServer } from './servers.js';

const kube = await useCluster();
const docker = await useDocker();
const kafkaShared = await useServer('kafka'); // only to know Kafka can run here; the tests use their own
const skip = kube.skip || docker.skip || kafkaShared.skip;

const PASSWORD = 'Gr4fana-admin "quoted" = ✓ unicode, not short';
const HOSTILE = [
  `GRAFANA_ADMIN_PASSWORD='${PASSWORD}'`,
  'PAYMENTS_API_TOKEN="line one\nline two = with equals"',
  "DB_PASSWORD='  leading and trailing spaces  '",
  'FOUNDATION_TARGET=cluster',
  '',
].join('\n');

const outcome = (r: Map<string, TaskResult>, id: string): string => {
  const t = r.get(id);
  return `${t?.outcome ?? 'none'}${t?.reason ? `: ${t.reason}` : ''}`;
};

/** PersistentVolumes for the claims the stack makes (no provisioner runs here; k3d brings local-path). */
function persistentVolumes(sizes: string[]): void {
  const docs = sizes.map(
    (size, i) =>
      `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: test-pv-${i}\nspec:\n  capacity: { storage: ${size} }\n  accessModes: [ReadWriteOnce]\n  persistentVolumeReclaimPolicy: Delete\n  hostPath: { path: /tmp/test-pv-${i} }\n`,
  );
  kubectl(['apply', '-f', '-'], docs.join('---\n'));
}

describe('tasks on a real Kubernetes control plane (target cluster)', { skip, timeout: 30 * 60_000 }, () => {
  const ws = clusterWorkspace(HOSTILE);
  const pkg = packageCopy();
  let brokers: string[] = [];
  let repo: { url: string; server: Server; requests: string[] };
  const helmHome = mkdtempSync(join(tmpdir(), 'helm-home-'));
  const config = () => ({
    kafkaBrokers: brokers,
    helmRepos: { 'prometheus-community': repo.url, 'grafana-community': repo.url, grafana: repo.url },
  });

  before(async () => {
    // A broker of its own: the topics file's six topics must not meet other tests' topics.
    const kafka = await ensureStarted(nestedRoot(root(), 'cluster-kafka'), 'kafka');
    brokers = [kafka.env.KAFKA_BROKERS ?? ''];
    repo = await serveCharts(chartsDir());
    Object.assign(process.env, {
      HELM_CONFIG_HOME: join(helmHome, 'config'),
      HELM_CACHE_HOME: join(helmHome, 'cache'),
      HELM_DATA_HOME: join(helmHome, 'data'),
    });
  });
  after(() => {
    repo.server.close();
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
    const annotations = JSON.parse(
      kubectl(['-n', 'services', 'get', 'secret', 'app-secrets', '-o', 'jsonpath={.metadata.annotations}']),
    ) as Record<string, string>;
    assert.match(annotations[CONTENT_HASH] ?? '', /^sha256:/);
    const everything = JSON.stringify([...first.values()]) + log.lines.join('\n');
    for (const value of [PASSWORD, 'line two = with equals', 'leading and trailing'])
      assert.ok(!everything.includes(value), 'no secret value in results or logs');
  });

  it('0-3: Redpanda and Console apply and roll out; the topics converge through the Kafka API', async () => {
    persistentVolumes(['2Gi', '2Gi', '4Gi', '2Gi']); // redpanda, tempo, loki, one spare
    const first = await runTasks([redpanda], { workspace: ws, config: config() });
    assert.equal(first.get('0-3')?.outcome, 'changed', outcome(first, '0-3'));
    assert.equal(
      kubectl(['-n', 'infra', 'get', 'statefulset', 'redpanda', '-o', 'jsonpath={.status.readyReplicas}']),
      '1',
    );
    assert.equal(
      kubectl(['-n', 'infra', 'get', 'pvc', 'data-redpanda-0', '-o', 'jsonpath={.status.phase}']),
      'Bound',
    );
    const second = await runTasks([redpanda], { workspace: ws, config: config() });
    assert.equal(second.get('0-3')?.outcome, 'ok', outcome(second, '0-3'));
    assert.match(second.get('0-3')?.reason ?? '', /6 topics converged/);
  });

  it(
    '0-4/0-5/0-6: the pinned charts install with real helm, objects are accepted, a second run is ok',
    { timeout: 15 * 60_000 },
    async () => {
      // kwok runs no containers, so the Prometheus Operator never creates the Prometheus and Alertmanager
      // StatefulSets: 0-4 installs everything else and then reports exactly those two missing — not success.
      const first = await runTasks([prometheus], { workspace: ws, config: config() });
      const p = first.get('0-4');
      assert.equal(p?.outcome, 'failed', outcome(first, '0-4'));
      assert.equal(p?.error?.code, 'E_NOT_CONVERGED');
      assert.match(p?.reason ?? '', /statefulset\/prometheus-kube-prometheus-stack-prometheus: not found/);
      assert.match(
        p?.reason ?? '',
        /statefulset\/alertmanager-kube-prometheus-stack-alertmanager: not found/,
      );
      // 0-5 and 0-6 depend on 0-4 (their datasources go into its Grafana): run on their own here.
      const logs = await runTasks([loki, tempo], { workspace: ws, config: config() });
      assert.equal(logs.get('0-5')?.outcome, 'changed', outcome(logs, '0-5'));
      assert.equal(logs.get('0-6')?.outcome, 'changed', outcome(logs, '0-6'));
      for (const crd of ['prometheuses.monitoring.coreos.com', 'servicemonitors.monitoring.coreos.com'])
        assert.equal(
          kubectl(['get', 'crd', crd, '-o', 'name']).trim(),
          `customresourcedefinition.apiextensions.k8s.io/${crd}`,
        );
      assert.match(kubectl(['-n', 'infra', 'get', 'prometheusrule', '-o', 'name']), /prometheusrule/);
      const configmaps = kubectl([
        '-n',
        'infra',
        'get',
        'configmap',
        '-l',
        'grafana_dashboard',
        '-o',
        'name',
      ]);
      // The chart's own dashboards carry the label too; ours are the four foundation-dashboard-* ones.
      assert.deepEqual(
        configmaps
          .split('\n')
          .filter((n) => n.startsWith('configmap/foundation-dashboard-'))
          .sort(),
        ['kafka', 'overview', 'resources', 'service-red'].map((d) => `configmap/foundation-dashboard-${d}`),
      );
      assert.match(
        kubectl(['-n', 'infra', 'get', 'configmap', '-l', 'grafana_datasource', '-o', 'name']),
        /loki[\s\S]*tempo|tempo[\s\S]*loki/,
      );
      assert.ok(
        repo.requests.some((r) => r === 'index.yaml') && repo.requests.some((r) => r.endsWith('.tgz')),
        'charts came from the repository',
      );
      const second = await runTasks([loki, tempo], { workspace: ws, config: config() });
      assert.equal(second.get('0-5')?.outcome, 'ok', outcome(second, '0-5'));
      assert.equal(second.get('0-6')?.outcome, 'ok', outcome(second, '0-6'));
    },
  );

  it('0-6: a values change is drift by path, then an upgrade to revision 2', async () => {
    const file = join(pkg, 'k8s', 'observability', 'values', 'tempo.yaml');
    const values = readFileSync(file, 'utf8');
    const changed = values.replace('retention: 168h', 'retention: 72h');
    assert.notEqual(changed, values);
    writeFileSync(file, changed);
    const plan = await runTasks([tempo], { workspace: ws, config: config(), packageRoot: pkg, mode: 'plan' });
    assert.equal(plan.get('0-6')?.outcome, 'would-change', outcome(plan, '0-6'));
    assert.match(plan.get('0-6')?.diff ?? '', /tempo\.retention: "168h" → "72h"/);
    const upgraded = await runTasks([tempo], { workspace: ws, config: config(), packageRoot: pkg });
    assert.equal(upgraded.get('0-6')?.outcome, 'changed', outcome(upgraded, '0-6'));
    assert.match(
      kubectl(['-n', 'infra', 'get', 'secret', '-l', 'owner=helm,name=tempo', '-o', 'name']),
      /sh\.helm\.release\.v1\.tempo\.v2/,
    );
    writeFileSync(file, values);
    assert.equal(
      (await runTasks([tempo], { workspace: ws, config: config(), packageRoot: pkg })).get('0-6')?.outcome,
      'changed',
      'back to the file',
    );
  });

  it(
    '0-10: the demo image builds with the Docker engine, and its manifests apply and roll out',
    { timeout: 15 * 60_000 },
    async () => {
      const imageMs = ensureNodeImage(); // a local stand-in for node:24-bookworm-slim (nothing can be pulled)
      // The engine's images outlive a run (its data is cached): remove the demo's so this run builds it.
      spawnSync('docker', ['image', 'rm', '-f', 'demo-service:0.1.0'], { stdio: 'ignore' });
      const log = recorder();
      const first = await runTasks([template], {
        workspace: ws,
        config: config(),
        log: log.log,
        packageRoot: pkg,
      });
      assert.equal(
        first.get('0-10')?.outcome,
        'changed',
        `${outcome(first, '0-10')}\n${log.lines.slice(-20).join('\n')}`,
      );
      assert.match(log.lines.join('\n'), /built demo-service:0\.1\.0 in [\d.]+ s/);
      assert.match(log.lines.join('\n'), /target cluster: demo-service:0\.1\.0 must be in a registry/);
      assert.equal(
        kubectl([
          '-n',
          'services',
          'get',
          'deployment',
          'demo-service',
          '-o',
          'jsonpath={.status.readyReplicas}',
        ]),
        '1',
      );
      const second = await runTasks([template], { workspace: ws, config: config(), packageRoot: pkg });
      assert.equal(second.get('0-10')?.outcome, 'ok', outcome(second, '0-10'));
      process.stdout.write(`# base image ${imageMs} ms\n`);
    },
  );
});
