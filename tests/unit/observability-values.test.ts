import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers/cli.js';
import { GRAFANA_SIDECAR_ROLE, grafanaSidecarRole } from '../../lib/observability/grafana-objects.js';

const DIR = join(ROOT, 'k8s', 'observability');
const text = (path: string) => readFileSync(join(DIR, path), 'utf8');
const yaml = (path: string): unknown => parse(text(path));
type Tree = Record<string, unknown>;
/** A nested value by dotted path (keys with dots are not used in these files except where quoted). */
const at = (tree: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Tree | undefined)?.[k], tree);

const kps = yaml('values/kube-prometheus-stack.yaml') as Tree;
const lokiValues = yaml('values/loki.yaml') as Tree;
const tempoValues = yaml('values/tempo.yaml') as Tree;
const alloy = yaml('values/alloy.yaml') as Tree;

describe('kube-prometheus-stack values', () => {
  it('keeps 30 days of metrics with a size cap below the volume', () => {
    assert.equal(at(kps, 'prometheus.prometheusSpec.retention'), '30d');
    assert.equal(at(kps, 'prometheus.prometheusSpec.retentionSize'), '1536MB');
    assert.equal(
      at(kps, 'prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage'),
      '2Gi',
    );
  });

  it('picks up monitors and rules from every namespace, whatever their labels', () => {
    for (const kind of ['serviceMonitor', 'podMonitor', 'probe', 'rule', 'scrapeConfig'])
      assert.equal(at(kps, `prometheus.prometheusSpec.${kind}SelectorNilUsesHelmValues`), false, kind);
  });

  it('turns off the control-plane targets k3s does not expose, and their rules', () => {
    for (const c of ['kubeControllerManager', 'kubeScheduler', 'kubeProxy', 'kubeEtcd'])
      assert.equal(at(kps, `${c}.enabled`), false, c);
    for (const r of [
      'etcd',
      'kubeControllerManager',
      'kubeProxy',
      'kubeSchedulerAlerting',
      'kubeSchedulerRecording',
    ])
      assert.equal(at(kps, `defaultRules.rules.${r}`), false, r);
  });

  it('Grafana: admin from the Secret (no password in values), dashboards and datasources by sidecar label', () => {
    assert.deepEqual(at(kps, 'grafana.admin'), {
      existingSecret: 'grafana-admin',
      userKey: 'admin-user',
      passwordKey: 'admin-password',
    });
    assert.equal(at(kps, 'grafana.adminPassword'), undefined);
    assert.equal(at(kps, 'grafana.sidecar.dashboards.label'), 'grafana_dashboard');
    assert.equal(at(kps, 'grafana.sidecar.datasources.label'), 'grafana_datasource');
    assert.equal(at(kps, 'grafana.sidecar.datasources.uid'), 'prometheus');
  });

  it('Grafana reads no Secret: the sidecars watch ConfigMaps, under a ClusterRole granting only those', () => {
    assert.equal(at(kps, 'grafana.rbac.useExistingClusterRole'), GRAFANA_SIDECAR_ROLE);
    for (const sidecar of ['dashboards', 'datasources'])
      assert.equal(at(kps, `grafana.sidecar.${sidecar}.resource`), 'configmap', sidecar);
    const role = grafanaSidecarRole();
    assert.equal(role.metadata?.name, GRAFANA_SIDECAR_ROLE);
    assert.deepEqual(role.rules, [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch', 'list'] },
    ]);
  });
});

describe('Loki, Alloy and Tempo values', () => {
  it('Loki: monolithic, filesystem, 14 days with the compactor deleting, no memcached', () => {
    assert.equal(lokiValues.deploymentMode, 'Monolithic');
    assert.equal(at(lokiValues, 'singleBinary.replicas'), 1);
    assert.equal(at(lokiValues, 'loki.storage.type'), 'filesystem');
    assert.equal(at(lokiValues, 'loki.limits_config.retention_period'), '336h');
    assert.equal(at(lokiValues, 'loki.compactor.retention_enabled'), true);
    for (const c of ['chunksCache', 'resultsCache', 'gateway', 'minio'])
      assert.equal(at(lokiValues, `${c}.enabled`), false, c);
  });

  it('Alloy: pod log files → CRI → JSON → labels level and service; trace_id as structured metadata', () => {
    assert.equal(at(alloy, 'controller.type'), 'daemonset');
    assert.equal(at(alloy, 'alloy.mounts.varlog'), true);
    const config = String(at(alloy, 'alloy.configMap.content'));
    const order = [
      'discovery.kubernetes "pods"',
      'local.file_match',
      'loki.source.file',
      'stage.cri',
      'stage.json',
      'stage.labels',
      'stage.structured_metadata',
      'loki.write',
    ];
    const positions = order.map((s) => config.indexOf(s));
    assert.ok(
      positions.every((p) => p >= 0),
      `all of ${order.join(', ')} present`,
    );
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
      'in pipeline order',
    );
    const labels = /stage\.labels \{\s*values = \{([^}]*)\}/.exec(config)?.[1] ?? '';
    assert.match(labels, /level/);
    assert.match(labels, /service/);
    assert.doesNotMatch(labels, /trace_id/, 'trace_id is never a label (one stream per trace)');
    assert.match(/stage\.structured_metadata \{\s*values = \{([^}]*)\}/.exec(config)?.[1] ?? '', /trace_id/);
    assert.match(config, /url = "http:\/\/loki\.infra\.svc:3100\/loki\/api\/v1\/push"/);
    const opens = (config.match(/\{/g) ?? []).length;
    assert.equal(opens, (config.match(/\}/g) ?? []).length, 'braces balance');
  });

  it('Tempo: OTLP on 4317 and 4318 only, 7 days, span metrics to Prometheus', () => {
    assert.equal(at(tempoValues, 'tempo.retention'), '168h');
    assert.deepEqual(Object.keys(at(tempoValues, 'tempo.receivers') as Tree), ['jaeger', 'otlp']);
    // The 2.2.4 chart's Service template needs jaeger.protocols to be a map: every protocol is removed
    // (no Jaeger ports), and the values' `config` template leaves the jaeger receiver out of Tempo's config.
    assert.deepEqual(at(tempoValues, 'tempo.receivers.jaeger'), {
      protocols: { grpc: null, thrift_binary: null, thrift_compact: null, thrift_http: null },
    });
    assert.match(String(tempoValues.config), /omit \.Values\.tempo\.receivers "jaeger"/);
    assert.equal(at(tempoValues, 'tempo.receivers.otlp.protocols.grpc.endpoint'), '0.0.0.0:4317');
    assert.equal(at(tempoValues, 'tempo.receivers.otlp.protocols.http.endpoint'), '0.0.0.0:4318');
    assert.match(
      String(at(tempoValues, 'tempo.metricsGenerator.remoteWriteUrl')),
      /kube-prometheus-stack-prometheus\.infra\.svc:9090\/api\/v1\/write$/,
    );
    assert.equal(at(kps, 'prometheus.prometheusSpec.enableRemoteWriteReceiver'), true);
  });

  it('the services may send OTLP to Tempo: the network policy opens 4317 and 4318 to infra', () => {
    const policies = parseAllDocuments(
      readFileSync(join(ROOT, 'k8s', 'namespaces', 'network-policies.yaml'), 'utf8'),
    ).map((d) => d.toJS() as Tree);
    const ports = JSON.stringify(policies.find((p) => at(p, 'metadata.name') === 'allow-to-platform'));
    assert.match(ports, /"port":4317/);
    assert.match(ports, /"port":4318/);
  });
});

describe('Grafana datasources: correlated', () => {
  type Ds = { uid: string; type: string; url: string; jsonData: Tree };
  const lokiDs = (yaml('datasources/loki.yaml') as { datasources: Ds[] }).datasources[0];
  const tempoDs = (yaml('datasources/tempo.yaml') as { datasources: Ds[] }).datasources[0];

  it('logs → trace: the trace_id field of a Loki line links to the Tempo datasource', () => {
    assert.equal(lokiDs?.uid, 'loki');
    assert.equal(lokiDs?.url, 'http://loki.infra.svc:3100');
    assert.deepEqual(at(lokiDs?.jsonData, 'derivedFields'), [
      {
        name: 'TraceID',
        matcherType: 'label',
        matcherRegex: 'trace_id',
        datasourceUid: 'tempo',
        url: '$${__value.raw}',
        urlDisplayLabel: 'Open trace',
      },
    ]);
  });

  it('trace → logs by trace id, trace → metrics in Prometheus (uid used by the dashboards), service map', () => {
    assert.equal(tempoDs?.uid, 'tempo');
    assert.equal(at(tempoDs?.jsonData, 'tracesToLogsV2.datasourceUid'), 'loki');
    assert.match(
      String(at(tempoDs?.jsonData, 'tracesToLogsV2.query')),
      /trace_id="\$\$\{__trace\.traceId\}"/,
    );
    assert.equal(at(tempoDs?.jsonData, 'tracesToMetrics.datasourceUid'), 'prometheus');
    assert.equal(at(tempoDs?.jsonData, 'serviceMap.datasourceUid'), 'prometheus');
    const dashboardUids = new Set(
      ['overview', 'service-red', 'kafka', 'resources'].flatMap((d) =>
        [...text(`dashboards/${d}.json`).matchAll(/"uid": "([^"]+)"/g)].map((m) => m[1]),
      ),
    );
    assert.ok(dashboardUids.has('prometheus'));
  });
});
