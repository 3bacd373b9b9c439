import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Config } from '../../lib/config/schema.js';
import type { TaskContext } from '../../lib/model/context.js';
import prometheus from '../../tasks/04-prometheus.js';
import loki from '../../tasks/05-loki.js';
import tempo from '../../tasks/06-tempo.js';
import { ROOT } from '../helpers/cli.js';
import { fakeHelm } from '../helpers/fake-helm.js';
import { fakeKube } from '../helpers/fake-kube.js';
import { CONFIG, fakeContext, runOne } from '../helpers/fixtures.js';

const PASSWORD = 'grafana-admin-password-0123456789';
const OPERATOR = {
  'kube-prometheus-stack': [
    'statefulset/prometheus-kube-prometheus-stack-prometheus',
    'statefulset/alertmanager-kube-prometheus-stack-alertmanager',
  ],
};

/** The package's real files (values, rules, dashboards) plus a workspace .env in memory. */
function world(
  opts: {
    env?: string;
    repos?: Record<string, string>;
    helmRepos?: Record<string, string>;
    overrides?: Record<string, string>;
    ready?: boolean;
  } = {},
) {
  const kube = fakeKube();
  const helm = fakeHelm(kube, { repos: opts.repos, operatorWorkloads: OPERATOR, ready: opts.ready });
  const logs: string[] = [];
  const config: Config = {
    ...CONFIG,
    helmRepos: opts.helmRepos ?? {
      'prometheus-community': 'oci://charts.test/pc',
      'grafana-community': 'https://charts.test/gc',
      grafana: 'https://charts.test/g',
    },
  };
  const ctx: TaskContext = fakeContext({
    config,
    kube,
    helm,
    platform: { os: 'linux', arch: 'x64', workspace: '/ws', packageRoot: ROOT, nodeVersion: '24.21.0' },
    log: { info: (l) => logs.push(l), warn: (l) => logs.push(l), debug: (l) => logs.push(l) },
    files: {
      read: (p) => {
        if (p === '.env') return Promise.resolve(opts.env ?? `GRAFANA_ADMIN_PASSWORD=${PASSWORD}\n`);
        const rel = p.slice(ROOT.length + 1);
        if (opts.overrides?.[rel] !== undefined) return Promise.resolve(opts.overrides[rel]);
        return Promise.resolve(existsSync(p) ? readFileSync(p, 'utf8') : null);
      },
      write: () => Promise.resolve(),
      lock: () => Promise.reject(new Error('no lock in this test')),
      exists: (p) => Promise.resolve(existsSync(p)),
      folders: () => Promise.resolve([]),
      mode: () => Promise.resolve(null),
      chmod: () => Promise.resolve(),
    },
  });
  return { ctx, kube, helm, logs };
}

describe('task 0-4 prometheus', () => {
  it('missing → Secret, then helm upgrade --install at the pin, then rules and dashboards; then converged', async () => {
    const { ctx, kube, helm } = world();
    assert.deepEqual(await prometheus.check(ctx), {
      status: 'missing',
      reason: 'release kube-prometheus-stack is not installed',
    });
    const { result, code } = await runOne(prometheus, ctx);
    assert.equal(result?.outcome, 'changed');
    assert.equal(code, 0);
    assert.deepEqual(
      helm.installs.map((i) => [
        i.release,
        i.chart,
        i.sourceArgs.join(' '),
        i.version,
        i.namespace,
        i.timeout,
      ]),
      [['kube-prometheus-stack', 'oci://charts.test/pc/kube-prometheus-stack', '', '88.5.3', 'infra', '10m']],
    );
    assert.equal(
      helm.installs[0]?.valuesFile,
      join(ROOT, 'k8s/observability/values/kube-prometheus-stack.yaml'),
    );
    assert.deepEqual(
      kube.applied.filter((k) => !k.startsWith('Deployment/') && !k.startsWith('StatefulSet/')),
      [
        'Secret/infra/grafana-admin',
        'ClusterRole//foundation-grafana-sidecar',
        'PrometheusRule/infra/foundation-rules',
        'ConfigMap/infra/foundation-dashboard-overview',
        'ConfigMap/infra/foundation-dashboard-service-red',
        'ConfigMap/infra/foundation-dashboard-kafka',
        'ConfigMap/infra/foundation-dashboard-resources',
        // k3d (the default target): Grafana, Prometheus, Alertmanager at http://<name>.localhost:8080.
        'Ingress/infra/foundation-grafana',
        'Ingress/infra/foundation-prometheus',
        'Ingress/infra/foundation-alertmanager',
      ],
    );
    assert.equal((await prometheus.check(ctx)).status, 'ok');
    const again = await runOne(prometheus, ctx);
    assert.equal(again.result?.outcome, 'ok');
    assert.equal(helm.installs.length, 1);
  });

  it('target cluster: no Ingress (a shared cluster’s ingress would publish UIs without a login)', async () => {
    const { ctx, kube } = world();
    const onCluster: TaskContext = {
      ...ctx,
      target: 'cluster',
      config: { ...ctx.config, target: 'cluster' },
    };
    const { result } = await runOne(prometheus, onCluster);
    assert.equal(result?.outcome, 'changed');
    assert.deepEqual(
      kube.applied.filter((k) => k.startsWith('Ingress/')),
      [],
    );
  });

  it('an install from before the sidecars’ own role: its Grafana binding (roleRef is immutable) goes before the upgrade', async () => {
    const { ctx, kube, logs } = world();
    const binding = (role: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'kube-prometheus-stack-grafana-clusterrolebinding' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    });
    const key = 'ClusterRoleBinding//kube-prometheus-stack-grafana-clusterrolebinding';
    kube.store.set(key, binding('kube-prometheus-stack-grafana-clusterrole'));
    await prometheus.apply(ctx);
    assert.equal(kube.store.has(key), false, 'deleted, for Helm to make again');
    assert.ok(
      logs.some((l) => /deleted kube-prometheus-stack-grafana-clusterrolebinding/.test(l)),
      logs.join('\n'),
    );
    // Bound to the sidecars' role already: left alone.
    kube.store.set(key, binding('foundation-grafana-sidecar'));
    logs.length = 0;
    await prometheus.apply(ctx);
    assert.equal(kube.store.has(key), true);
    assert.ok(!logs.some((l) => /deleted/.test(l)));
  });

  it('a different chart version or changed values is drift naming what changed; apply upgrades', async () => {
    const { ctx, helm } = world();
    await runOne(prometheus, ctx);
    const release = helm.releases.get('kube-prometheus-stack');
    assert.ok(release);
    const values = structuredClone(release.values) as {
      prometheus: { prometheusSpec: { retention: string } };
    };
    values.prometheus.prometheusSpec.retention = '7d';
    helm.releases.set('kube-prometheus-stack', { ...release, version: '88.5.2', values });
    const drift = await prometheus.check(ctx);
    assert.equal(drift.status, 'drift');
    assert.match(
      drift.status === 'drift' ? drift.reason : '',
      /chart version 88\.5\.2 → 88\.5\.3; values sha256:\w+ → sha256:\w+ \(1 setting/,
    );
    assert.equal(
      drift.status === 'drift' ? drift.diff : '',
      'prometheus.prometheusSpec.retention: "7d" → "30d"',
    );
    await runOne(prometheus, ctx);
    assert.equal(helm.releases.get('kube-prometheus-stack')?.revision, 2);
    assert.equal((await prometheus.check(ctx)).status, 'ok');
  });

  it('with no setting and no helm repository, the release installs from its public chart repository', async () => {
    const { ctx, helm } = world({ helmRepos: {} });
    const r = await prometheus.check(ctx);
    assert.equal(r.status, 'missing'); // not blocked: releases.yaml says where the chart is
    const { code } = await runOne(prometheus, ctx);
    assert.equal(code, 0);
    assert.match(
      JSON.stringify(helm.installs[0]),
      /oci:\/\/ghcr\.io\/prometheus-community\/charts\/kube-prometheus-stack/,
    );
  });

  it('no Grafana password in .env blocks (fix: 0-1); the password never reaches helm, logs or results', async () => {
    const blocked = await prometheus.check(world({ env: 'LOG_LEVEL=info\n' }).ctx);
    assert.deepEqual(blocked, {
      status: 'blocked',
      reason: '.env has no GRAFANA_ADMIN_PASSWORD',
      hint: 'foundation run 0-1 (generates it into .env)',
    });
    const { ctx, kube, helm, logs } = world();
    const { result } = await runOne(prometheus, ctx);
    const secret = kube.store.get('Secret/infra/grafana-admin') as { data: Record<string, string> };
    assert.equal(Buffer.from(secret.data['admin-password'] ?? '', 'base64').toString(), PASSWORD);
    for (const text of [
      JSON.stringify(helm.installs),
      JSON.stringify(result),
      logs.join('\n'),
      readFileSync(join(ROOT, 'k8s/observability/values/kube-prometheus-stack.yaml'), 'utf8'),
    ])
      assert.ok(!text.includes(PASSWORD));
  });

  it('workloads that are not ready are drift, named with their state', async () => {
    const { ctx } = world({ ready: false });
    const { result } = await runOne(prometheus, ctx);
    assert.equal(result?.outcome, 'failed');
    const r = await prometheus.check(ctx);
    assert.match(
      r.status === 'drift' ? r.reason : '',
      /deployment\/kube-prometheus-stack: 0\/1 replicas ready/,
    );
    assert.match(
      r.status === 'drift' ? r.reason : '',
      /statefulset\/prometheus-kube-prometheus-stack-prometheus: 0\/1/,
    );
  });

  it('a malformed releases file fails the run with exit 2, naming the field', async () => {
    const bad = readFileSync(join(ROOT, 'k8s/observability/releases.yaml'), 'utf8').replace(
      'version: 88.5.3',
      'version: latest',
    );
    const { ctx } = world({ overrides: { 'k8s/observability/releases.yaml': bad } });
    const { result, code } = await runOne(prometheus, ctx);
    assert.equal(code, 2);
    assert.match(JSON.stringify(result), /release kube-prometheus-stack version: an exact chart version/);
  });

  it('a values file that is not YAML fails with exit 2 naming it, and installs nothing', async () => {
    const { ctx, helm } = world({
      overrides: { 'k8s/observability/values/kube-prometheus-stack.yaml': 'a: [1, 2\n' },
    });
    const { result, code } = await runOne(prometheus, ctx);
    assert.equal(code, 2);
    assert.match(
      JSON.stringify(result),
      /values\/kube-prometheus-stack\.yaml \(values of kube-prometheus-stack\) is not valid YAML/,
    );
    assert.equal(helm.installs.length, 0);
  });
});

describe('tasks 0-5 loki and 0-6 tempo', () => {
  it('0-5 installs Loki and Alloy from a repository helm knows, then the Loki datasource', async () => {
    const { ctx, helm, kube } = world({
      helmRepos: {},
      repos: { 'grafana-community': 'https://charts.test/gc', grafana: 'https://charts.test/g' },
    });
    const { result } = await runOne(loki, ctx);
    assert.equal(result?.outcome, 'changed');
    assert.deepEqual(
      helm.installs.map((i) => `${i.release} ${i.chart}@${i.version}`),
      ['loki grafana-community/loki@18.11.0', 'alloy grafana/alloy@1.10.1'],
    );
    const ds = kube.store.get('ConfigMap/infra/foundation-datasource-loki');
    assert.equal(ds?.metadata?.labels?.grafana_datasource, '1');
    assert.equal((await loki.check(ctx)).status, 'ok');
  });

  it('0-6 installs Tempo with --repo from the configured URL, then the Tempo datasource', async () => {
    const { ctx, helm, kube } = world();
    await runOne(tempo, ctx);
    assert.deepEqual(
      helm.installs.map((i) => [i.chart, i.sourceArgs.join(' ')]),
      [['tempo', '--repo https://charts.test/gc']],
    );
    assert.ok(kube.store.has('ConfigMap/infra/foundation-datasource-tempo'));
    assert.equal((await tempo.check(ctx)).status, 'ok');
  });
});
