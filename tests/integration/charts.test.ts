// Every release pinned in k8s/observability/releases.yaml, rendered by the real helm from the pinned chart
// (a local chart repository, tests/helpers/charts.ts) with the project's values file, and the rendered
// objects checked for what the values promise. A pin missing from the chart repository skips with the
// reason; with CI=true it fails: a pin that cannot be rendered cannot be verified.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  MiB,
  at,
  chartsDir,
  claimsOf,
  kustomized,
  dig,
  effective,
  findChart,
  list,
  name,
  one,
  pick,
  podAmounts,
  podsOf,
  quantity,
  releases,
  renderRelease,
  repoYaml,
  str,
  type Rendered,
  type Tree,
} from '../helpers/charts.js';
import { alloyObject, alloyString, parseAlloy } from '../../lib/observability/alloy-syntax.js';
import { IN_CI, findTool } from '../helpers/tools.js';
import { ingressBackend } from '../../lib/endpoints/list.js';

const tool = findTool('helm', 'HELM_BIN');
const specs = releases();
const charts = new Map(specs.map((s) => [s.release, findChart(chartsDir(), s.chart, s.version)]));
const rendered = new Map<string, Rendered>();

/** Why these releases cannot be rendered here, or false. */
function unavailable(names: readonly string[]): string | false {
  if ('skip' in tool) return tool.skip;
  const found = names.map((n) => charts.get(n) ?? { missing: `release ${n} is not in releases.yaml` });
  const reasons = found.flatMap((c) => ('missing' in c ? [c.missing] : []));
  return reasons.length > 0 ? [...new Set(reasons)].join('; ') : false;
}
/** Skip locally with the reason; with CI=true the test runs, and `render` fails it with that reason. */
const needs = (...names: string[]) => ({ skip: IN_CI ? false : unavailable(names) });

function render(release: string): Tree[] {
  const why = unavailable([release]);
  if (why !== false) assert.fail(`${why} (with CI=true every pinned chart must be present and render)`);
  const spec = specs.find((s) => s.release === release);
  const chart = charts.get(release);
  assert.ok(spec && chart && 'path' in chart && 'path' in tool);
  const done = rendered.get(release) ?? renderRelease(tool.path, spec, chart.path);
  rendered.set(release, done);
  return done.objects;
}

const data = (objects: Tree[], configMap: string, key: string): string =>
  str(at(one(objects, 'ConfigMap', configMap), 'data', key));
const containers = (o: Tree): Tree[] => list(dig(o, 'spec.template.spec.containers')) as Tree[];
const byName = (items: unknown, named: string): unknown => list(items).find((i) => at(i, 'name') === named);
const storage = (claims: unknown): unknown[] =>
  list(claims).map((c) => dig(c, 'spec.resources.requests.storage'));
const ports = (service: Tree): string[] => list(dig(service, 'spec.ports')).map((p) => String(at(p, 'port')));
/** The values at the dotted paths of `want` are `want`'s. */
const expectAt = (tree: unknown, want: Tree) => {
  assert.deepEqual(pick(tree, Object.keys(want)), want);
};
const none = (items: string[], pattern: RegExp, what: string) => {
  assert.deepEqual(
    items.filter((i) => pattern.test(i)),
    [],
    what,
  );
};

describe('the pinned charts render from the chart repository with the values files', () => {
  for (const spec of specs) {
    it(`${spec.release}: ${spec.chart} ${spec.version} with ${spec.values}`, needs(spec.release), (t) => {
      const objects = render(spec.release);
      t.diagnostic(`${spec.release}: ${rendered.get(spec.release)?.ms ?? 0} ms, ${objects.length} objects`);
      const labels = objects.map((o) => dig(o, 'metadata.labels'));
      const charted = new Set(labels.flatMap((l) => [at(l, 'helm.sh/chart'), at(l, 'chart')]));
      assert.ok(charted.has(`${spec.chart}-${spec.version}`), `labelled ${spec.chart}-${spec.version}`);
    });
  }
});

describe('kube-prometheus-stack as rendered', needs('kube-prometheus-stack'), () => {
  const kps = () => render('kube-prometheus-stack');
  const prometheus = () => one(kps(), 'Prometheus', 'kube-prometheus-stack-prometheus');

  it('keeps 30 days of metrics, capped in size below its volume', () => {
    expectAt(prometheus(), { 'spec.retention': '30d', 'spec.retentionSize': '1536MB' });
    const [volume] = storage([dig(prometheus(), 'spec.storage.volumeClaimTemplate')]);
    assert.equal(volume, '2Gi');
    assert.ok(1536e6 < quantity(volume), 'the size cap is reached before the volume is full');
  });

  it('selects ServiceMonitors, PodMonitors, Probes, rules and ScrapeConfigs in every namespace, any labels', () => {
    const kinds = ['serviceMonitor', 'podMonitor', 'probe', 'rule', 'scrapeConfig'];
    const selectors = kinds.flatMap((k) => [`spec.${k}Selector`, `spec.${k}NamespaceSelector`]);
    expectAt(prometheus(), Object.fromEntries(selectors.map((s) => [s, {}])));
  });

  it('has no scrape targets or rules for the control plane k3s does not expose', () => {
    const monitors = kps()
      .filter((o) => o.kind === 'ServiceMonitor')
      .map((o) => str(dig(o, 'metadata.name')));
    assert.ok(monitors.includes('kube-prometheus-stack-kubelet'), 'the kubelet is scraped');
    const plane = /controller-manager|scheduler|kube-proxy|etcd/;
    none(monitors, plane, 'ServiceMonitors');
    const groups = kps()
      .filter((o) => o.kind === 'PrometheusRule')
      .flatMap((r) => list(dig(r, 'spec.groups')));
    assert.ok(groups.length > 0);
    none(
      groups.map((g) => str(at(g, 'name'))),
      plane,
      'rule groups',
    );
    const exprs = groups.flatMap((g) => list(at(g, 'rules')).map((r) => str(at(r, 'expr'))));
    const job = /job="(kube-controller-manager|kube-scheduler|kube-proxy|kube-etcd)"/;
    none(exprs, job, 'rules');
  });

  it('Grafana takes its admin user and password from the Secret grafana-admin', () => {
    const grafana = byName(containers(one(kps(), 'Deployment', 'kube-prometheus-stack-grafana')), 'grafana');
    const secret = (env: string) => dig(byName(at(grafana, 'env'), env), 'valueFrom.secretKeyRef');
    assert.deepEqual(secret('GF_SECURITY_ADMIN_USER'), { name: 'grafana-admin', key: 'admin-user' });
    assert.deepEqual(secret('GF_SECURITY_ADMIN_PASSWORD'), { name: 'grafana-admin', key: 'admin-password' });
  });

  it('the Services task 0-4’s Ingress objects route to exist, with those ports (lib/endpoints)', () => {
    for (const ui of ['grafana', 'prometheus', 'alertmanager'] as const) {
      const { service, port } = ingressBackend(ui);
      assert.ok(ports(one(kps(), 'Service', service)).includes(String(port)), `${service}:${port}`);
    }
  });
});

describe('Loki and Alloy as rendered', needs('loki', 'alloy'), () => {
  it('Loki: one monolithic pod on a 4Gi volume, filesystem storage, 14 days deleted by the compactor', () => {
    const objects = render('loki');
    const workloads = objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(str(o.kind)));
    assert.deepEqual(workloads.map(name), ['StatefulSet/loki']);
    assert.equal(dig(workloads[0], 'spec.replicas'), 1);
    assert.deepEqual(storage(dig(workloads[0], 'spec.volumeClaimTemplates')), ['4Gi']);
    const config = parse(data(objects, 'loki', 'config.yaml')) as unknown;
    expectAt(config, {
      'limits_config.retention_period': '336h',
      'compactor.retention_enabled': true,
      'limits_config.allow_structured_metadata': true,
      'common.storage.filesystem.chunks_directory': '/var/loki/chunks',
    });
    const stores = list(dig(config, 'schema_config.configs')).map((c) => str(at(c, 'object_store')));
    assert.deepEqual(stores, ['filesystem']);
  });

  it('Alloy: pod log files → CRI → JSON → labels level, service; trace_id, span_id structured metadata → Loki', () => {
    const objects = render('alloy');
    const daemon = one(objects, 'DaemonSet', 'alloy');
    const alloy = byName(containers(daemon), 'alloy');
    assert.equal(dig(byName(at(alloy, 'env'), 'HOSTNAME'), 'valueFrom.fieldRef.fieldPath'), 'spec.nodeName');
    const varlog = list(dig(daemon, 'spec.template.spec.volumes')).find(
      (v) => dig(v, 'hostPath.path') === '/var/log',
    );
    assert.equal(dig(byName(at(alloy, 'volumeMounts'), str(at(varlog, 'name'))), 'mountPath'), '/var/log');

    const config = parseAlloy(data(objects, 'alloy', 'config.alloy'));
    const block = (named: string) => config.blocks.find((b) => b.name === named);
    // pod logs, then the API server's audit log (its own file_match and source), then Loki
    const pipeline =
      'discovery.kubernetes discovery.relabel local.file_match loki.source.file loki.process local.file_match loki.source.file loki.write';
    assert.deepEqual(config.blocks.map((b) => b.name).join(' '), pipeline);
    const path = block('discovery.relabel')?.blocks.find((r) => r.attrs.target_label === '"__path__"');
    assert.match(alloyString(path?.attrs.replacement) ?? '', /^\/var\/log\/pods\//);
    const stages = block('loki.process')?.blocks ?? [];
    const order = 'stage.cri stage.json stage.labels stage.structured_metadata';
    assert.equal(stages.map((s) => s.name).join(' '), order);
    const fields = (stage: number, attr: string) => Object.keys(alloyObject(stages[stage]?.attrs[attr]));
    assert.deepEqual(fields(1, 'expressions'), ['level', 'service', 'trace_id', 'span_id'], 'from JSON');
    assert.deepEqual(fields(2, 'values'), ['level', 'service'], 'the labels');
    assert.deepEqual(fields(3, 'values'), ['trace_id', 'span_id'], 'structured metadata, never labels');
    assert.equal(block('loki.process')?.attrs.forward_to, '[loki.write.default.receiver]');

    const url = new URL(alloyString(block('loki.write')?.blocks[0]?.attrs.url) ?? '');
    const [service = '', namespace] = url.hostname.split('.');
    const loki = one(render('loki'), 'Service', service);
    assert.equal(namespace, dig(loki, 'metadata.namespace'));
    assert.ok(ports(loki).includes(url.port), `${url.host} is Loki's Service`);
    assert.equal(url.pathname, '/loki/api/v1/push');
  });
});

describe('Tempo as rendered', needs('tempo', 'kube-prometheus-stack'), () => {
  const objects = () => render('tempo');
  const config = () => parse(data(objects(), 'tempo', 'tempo.yaml')) as unknown;
  const tempo = () => one(objects(), 'StatefulSet', 'tempo');

  it('receives OTLP on 4317 (gRPC) and 4318 (HTTP) only: no Jaeger receiver or ports', () => {
    assert.deepEqual(dig(config(), 'distributor.receivers'), {
      otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } },
    });
    const open = ports(one(objects(), 'Service', 'tempo'));
    for (const p of ['3200', '4317', '4318']) assert.ok(open.includes(p), p);
    none(open, /^(6831|6832|14250|14268)$/, 'Jaeger ports');
  });

  it('one pod keeping 7 days of traces on its 2Gi volume, no usage reports', () => {
    expectAt(config(), {
      'compactor.compaction.block_retention': '168h',
      'usage_report.reporting_enabled': false,
      'storage.trace.backend': 'local',
    });
    assert.equal(dig(tempo(), 'spec.replicas'), 1);
    const claims = list(dig(tempo(), 'spec.volumeClaimTemplates'));
    assert.deepEqual(storage(claims), ['2Gi']);
    const container = containers(tempo())[0];
    const volume = str(dig(claims[0], 'metadata.name'));
    const mount = dig(byName(at(container, 'volumeMounts'), volume), 'mountPath');
    for (const dir of ['storage.trace.local.path', 'storage.trace.wal.path'])
      assert.ok(str(dig(config(), dir)).startsWith(`${str(mount)}/`), `${dir} is on the volume`);
    assert.deepEqual(at(container, 'resources'), {
      requests: { cpu: '50m', memory: '192Mi' },
      limits: { memory: '512Mi' },
    });
    assert.ok(list(at(container, 'args')).includes('-mem-ballast-size-mbs=0'), 'no ballast above the limit');
  });

  it("span metrics and the service graph are remote-written to kube-prometheus-stack's Prometheus", () => {
    const processors = dig(config(), 'overrides.defaults.metrics_generator.processors');
    assert.deepEqual(processors, ['service-graphs', 'span-metrics']);
    const writes = list(dig(config(), 'metrics_generator.storage.remote_write'));
    assert.equal(writes.length, 1);
    const url = new URL(str(at(writes[0], 'url')));
    assert.equal(url.hostname, 'kube-prometheus-stack-prometheus.infra.svc');
    assert.equal(url.pathname, '/api/v1/write');
    const kps = render('kube-prometheus-stack');
    assert.ok(ports(one(kps, 'Service', 'kube-prometheus-stack-prometheus')).includes(url.port));
    const prometheus = one(kps, 'Prometheus', 'kube-prometheus-stack-prometheus');
    assert.equal(dig(prometheus, 'spec.enableRemoteWriteReceiver'), true);
  });
});

describe('the infra namespace budget', needs(...specs.map((s) => s.release)), () => {
  it("the releases', Redpanda's and the kit databases' pods fit infra's ResourceQuota, each container within its LimitRange", (t) => {
    const ns = repoYaml('k8s', 'namespaces', 'infra.yaml');
    const hard = dig(one(ns, 'ResourceQuota', 'infra-quota'), 'spec.hard');
    const range = list(dig(one(ns, 'LimitRange', 'infra-defaults'), 'spec.limits')).find(
      (l) => at(l, 'type') === 'Container',
    );
    const q = (path: string) => quantity(dig(range, path));
    const defaults = {
      cpu: q('defaultRequest.cpu'),
      memory: q('defaultRequest.memory'),
      memoryLimit: q('default.memory'),
    };
    const max = q('max.memory');
    const [k3d] = repoYaml('k8s', 'k3d-config.yaml');
    const nodes = Number(at(k3d, 'servers') ?? 1) + Number(at(k3d, 'agents') ?? 0);
    const manifests = ['redpanda', 'data'].flatMap(kustomized);
    const objects = [...specs.flatMap((s) => render(s.release)), ...manifests].filter((o) =>
      ['', 'infra'].includes(str(dig(o, 'metadata.namespace'))),
    );
    const pods = podsOf(objects, nodes);
    for (const p of pods)
      for (const c of [...p.containers, ...p.init])
        assert.ok(effective(c, defaults).memoryLimit <= max, `${p.owner} ${c.name}: limit above ${max}`);

    const sum = { cpu: 0, memory: 0, memoryLimit: 0, pods: 0 };
    for (const p of pods) {
      const a = podAmounts(p, defaults);
      sum.cpu += a.cpu * p.count;
      sum.memory += a.memory * p.count;
      sum.memoryLimit += a.memoryLimit * p.count;
      sum.pods += p.count;
    }
    const claims = claimsOf(objects);
    const bytes = claims.reduce((s, c) => s + c, 0);
    const Mi = (n: number) => `${Math.round(n / MiB)}Mi`;
    t.diagnostic(
      `requests cpu ${Math.round(sum.cpu * 1000)}m memory ${Mi(sum.memory)}, limits memory ${Mi(sum.memoryLimit)}, ` +
        `${sum.pods} pods, ${claims.length} claims of ${Mi(bytes)} (quota: ${JSON.stringify(hard)})`,
    );
    const owners = new Set(pods.map((p) => p.owner)); // Redpanda (0-3), the kit's databases (0-14)
    assert.deepEqual(
      ['redpanda', 'postgres', 'redis'].filter((n) => !owners.has(`StatefulSet/${n}`)),
      [],
    );
    assert.ok(sum.cpu <= quantity(at(hard, 'requests.cpu')), 'requests.cpu');
    assert.ok(sum.memory <= quantity(at(hard, 'requests.memory')), 'requests.memory');
    assert.ok(sum.memoryLimit <= quantity(at(hard, 'limits.memory')), 'limits.memory');
    assert.ok(sum.pods <= Number(at(hard, 'pods')), 'pods');
    assert.ok(claims.length <= Number(at(hard, 'persistentvolumeclaims')), 'persistentvolumeclaims');
    assert.ok(bytes <= quantity(at(hard, 'requests.storage')), 'requests.storage');
  });
});
