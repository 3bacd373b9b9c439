import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toPrometheusRule } from '../../lib/observability/prometheus-rule.js';
import { ROOT } from '../helpers/cli.js';

const RULES = join(ROOT, 'k8s', 'observability', 'rules');
const files = ['recording.yml', 'alerts.yml'].map((f) => ({
  path: f,
  text: readFileSync(join(RULES, f), 'utf8'),
}));

describe('PrometheusRule from the rule files', () => {
  it('carries every group and rule unchanged, labelled for kube-prometheus-stack', () => {
    const rule = toPrometheusRule('foundation-rules', 'infra', files) as {
      kind: string;
      metadata: { labels: Record<string, string> };
      spec: { groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[] };
    };
    assert.equal(rule.kind, 'PrometheusRule');
    assert.equal(rule.metadata.labels.release, 'kube-prometheus-stack');
    const rules = rule.spec.groups.flatMap((g) => g.rules);
    assert.deepEqual(
      rules.filter((r) => r.alert).map((r) => r.alert),
      [
        'ServiceDown',
        'HighErrorRate',
        'HighLatencyP95',
        'DiskAlmostFull',
        'MemoryAlmostFull',
        'KafkaConsumerLag',
      ],
    );
    assert.equal(rules.filter((r) => r.record).length, 4);
    assert.equal(rules.find((r) => r.alert === 'ServiceDown')?.expr, 'up == 0');
  });

  it('rejects a file that is not a rule file, and a group defined twice', () => {
    assert.throws(
      () => toPrometheusRule('x', 'infra', [{ path: 'bad.yml', text: 'scrape_configs: []' }]),
      /bad\.yml: not a Prometheus rule file/,
    );
    assert.throws(
      () =>
        toPrometheusRule('x', 'infra', [
          files[0] ?? { path: '', text: '' },
          files[0] ?? { path: '', text: '' },
        ]),
      /defined twice/,
    );
  });
});
