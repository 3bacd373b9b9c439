// The Compose platform is rendered from the Kubernetes side's files: both sides must agree on every
// setting they share (retention, limits, rules, dashboards, datasources, log stages). These tests read
// the real files of the package and compare the rendered Compose configuration with them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { renderStack, composeMemory, hashVariable, type RenderedStack } from '../../lib/compose/render.js';
import { readStackSources, type StackSources } from '../../lib/compose/sources.js';
import { parseAlloy } from '../../lib/observability/alloy-syntax.js';
import { ROOT } from '../helpers/cli.js';

const sources = await readStackSources((p) => Promise.resolve(readFileSync(join(ROOT, p), 'utf8')));
const stack = renderStack(sources);
const file = (s: RenderedStack, path: string): string => {
  const f = s.files.find((x) => x.path === path);
  assert.ok(f, `${path} is rendered`);
  return f.content;
};
const k8s = (path: string): unknown => parse(readFileSync(join(ROOT, 'k8s', 'observability', path), 'utf8'));
const at = (tree: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], tree);
const withValues = (which: keyof StackSources['values'], edit: (text: string) => string): StackSources => ({
  ...sources,
  values: {
    ...sources.values,
    [which]: { ...sources.values[which], text: edit(sources.values[which].text) },
  },
});

describe('the Compose configuration, rendered from the Kubernetes files', () => {
  it('retention and sizes come from the values: Prometheus 30d/1536MB, Alertmanager, Loki 14 d, Tempo 7 d', () => {
    const kps = k8s('values/kube-prometheus-stack.yaml');
    assert.equal(stack.env.PROMETHEUS_RETENTION, at(kps, 'prometheus.prometheusSpec.retention'));
    assert.equal(stack.env.PROMETHEUS_RETENTION, '30d');
    assert.equal(stack.env.PROMETHEUS_RETENTION_SIZE, at(kps, 'prometheus.prometheusSpec.retentionSize'));
    assert.equal(stack.env.ALERTMANAGER_RETENTION, at(kps, 'alertmanager.alertmanagerSpec.retention'));
    const loki = parse(file(stack, 'loki/loki.yaml')) as unknown;
    assert.deepEqual(at(loki, 'limits_config'), at(k8s('values/loki.yaml'), 'loki.limits_config'));
    assert.equal(at(loki, 'limits_config.retention_period'), '336h');
    assert.equal(at(loki, 'compactor.retention_enabled'), true);
    assert.deepEqual(at(loki, 'schema_config'), at(k8s('values/loki.yaml'), 'loki.schemaConfig'));
    const tempo = parse(file(stack, 'tempo/tempo.yaml')) as unknown;
    assert.equal(at(tempo, 'compactor.compaction.block_retention'), '168h');
    assert.deepEqual(
      at(tempo, 'distributor.receivers.otlp'),
      at(k8s('values/tempo.yaml'), 'tempo.receivers.otlp'),
    );
    assert.deepEqual(at(tempo, 'overrides'), at(k8s('values/tempo.yaml'), 'tempo.overrides'));
  });

  it('memory limits are the Kubernetes limits, in Compose notation; the platform stays under 4 GiB', () => {
    assert.equal(composeMemory('768Mi', 'x'), '768m');
    assert.equal(composeMemory('1Gi', 'x'), '1g');
    assert.throws(() => composeMemory('0.5Gi', 'values.yaml'), /values\.yaml: memory limit "0.5Gi"/);
    assert.equal(stack.env.PROMETHEUS_MEMORY, '768m');
    assert.equal(stack.env.LOKI_MEMORY, '512m');
    assert.equal(stack.env.REDPANDA_MEMORY, '1g');
    const mib = (m: string) => Number(m.slice(0, -1)) * (m.endsWith('g') ? 1024 : 1);
    const platform = Object.entries(stack.env)
      .filter(([k]) => k.endsWith('_MEMORY') && k !== 'REDPANDA_SEASTAR_MEMORY')
      .reduce((sum, [, v]) => sum + mib(v), 0);
    assert.equal(platform, 3584, 'the sum docs/compose.md states');
    assert.ok(platform + 256 + 64 < 4096, 'with the data profile (Postgres 256m, Redis 64m) too');
  });

  it('rules and dashboards are the very files the Kubernetes side deploys', () => {
    for (const name of ['alerts.yml', 'recording.yml'])
      assert.ok(
        file(stack, `prometheus/rules/${name}`).endsWith(
          readFileSync(join(ROOT, 'k8s/observability/rules', name), 'utf8'),
        ),
      );
    for (const name of ['overview', 'service-red', 'kafka', 'resources'])
      assert.equal(
        file(stack, `grafana/dashboards/${name}.json`),
        readFileSync(join(ROOT, `k8s/observability/dashboards/${name}.json`), 'utf8'),
      );
    const prom = parse(file(stack, 'prometheus/prometheus.yml')) as unknown;
    assert.deepEqual(at(prom, 'rule_files'), ['/etc/prometheus/rules/*.yml']);
    assert.equal(at(prom, 'global.scrape_interval'), '30s');
  });

  it('datasources keep their uids and correlation links; only the address differs', () => {
    const rendered = at(
      parse(file(stack, 'grafana/provisioning/datasources/datasources.yaml')),
      'datasources',
    ) as {
      uid: string;
      url: string;
    }[];
    assert.deepEqual(
      rendered.map((d) => [d.uid, d.url]),
      [
        ['prometheus', 'http://prometheus:9090'],
        ['loki', 'http://loki:3100'],
        ['tempo', 'http://tempo:3200'],
      ],
    );
    for (const name of ['loki', 'tempo']) {
      const original = (k8s(`datasources/${name}.yaml`) as { datasources: Record<string, unknown>[] })
        .datasources[0];
      assert.deepEqual({ ...rendered.find((d) => d.uid === name), url: original?.url }, original);
    }
  });

  it("Alloy: the Kubernetes pipeline's parsing stages, except the runtime's line format, and the same labels", () => {
    const pipeline = (text: string) => parseAlloy(text).blocks.find((b) => b.name === 'loki.process');
    const k8sContent = at(k8s('values/alloy.yaml'), 'alloy.configMap.content') as string;
    const stages = (text: string) =>
      pipeline(text)
        ?.blocks.filter((b) => b.name !== 'stage.cri')
        .map(({ name, attrs, blocks }) => ({ name, attrs, blocks: blocks.length }));
    const compose = file(stack, 'alloy/config.alloy');
    assert.deepEqual(stages(compose), stages(k8sContent));
    assert.ok((stages(compose)?.length ?? 0) >= 3);
    const targetLabels = (text: string) =>
      new Set(
        parseAlloy(text)
          .blocks.filter((b) => b.name === 'discovery.relabel')
          .flatMap((b) => b.blocks.map((r) => r.attrs.target_label?.replaceAll('"', '')))
          .filter((l) => l !== undefined && !l.startsWith('__')),
      );
    for (const label of targetLabels(k8sContent))
      assert.ok(targetLabels(compose).has(label), `${label} is set`);
  });

  it('each configured service has a hash of its own files: a dashboard edit changes Grafana only', () => {
    const edited = renderStack({
      ...sources,
      dashboards: sources.dashboards.map((d, i) => (i === 0 ? { ...d, text: d.text.replace('{', '{ ') } : d)),
    });
    const changed = Object.keys(stack.env).filter((k) => stack.env[k] !== edited.env[k]);
    assert.deepEqual(changed, [hashVariable('grafana')]);
    const retention = renderStack(withValues('loki', (t) => t.replace('336h', '240h')));
    assert.deepEqual(
      Object.keys(stack.env).filter((k) => stack.env[k] !== retention.env[k]),
      [hashVariable('loki')],
    );
  });

  it('a source that cannot be used is refused naming the file and setting (exit 2)', () => {
    assert.throws(
      () => renderStack(withValues('prometheus', (t) => t.replace('retention: 30d', 'retention: ""'))),
      (e: Error & { code?: string }) =>
        e.code === 'E_CONFIG_INVALID' &&
        /kube-prometheus-stack\.yaml: prometheus\.prometheusSpec\.retention/.test(e.message),
    );
    assert.throws(
      () =>
        renderStack(
          withValues('alloy', (t) => t.replace('loki.process "pod_logs"', 'loki.other "pod_logs"')),
        ),
      /alloy\.yaml: alloy\.configMap\.content has no loki\.process "pod_logs" block/,
    );
    assert.throws(
      () => renderStack(withValues('tempo', (t) => `bad: [unclosed\n${t}`)),
      /tempo\.yaml is not valid YAML: line \d+/,
    );
  });
});
