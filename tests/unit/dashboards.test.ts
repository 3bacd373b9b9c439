import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { metricNames } from '../../lib/observability/promql.js';
import { ROOT } from '../helpers/cli.js';

const DIR = join(ROOT, 'k8s', 'observability', 'dashboards');
interface Dashboard {
  uid: string;
  title: string;
  panels: { title: string; targets: { expr: string }[] }[];
}
const dashboards = readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && f !== 'metrics.json')
  .map((f) => ({ file: f, d: JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Dashboard }));
const known = new Set(
  Object.entries(JSON.parse(readFileSync(join(DIR, 'metrics.json'), 'utf8')) as Record<string, unknown>)
    .filter(([k]) => k !== '$comment')
    .flatMap(([, v]) => v as string[]),
);
const ruleExprs = ['recording.yml', 'alerts.yml'].flatMap((f) =>
  (
    parse(readFileSync(join(ROOT, 'k8s', 'observability', 'rules', f), 'utf8')) as {
      groups: { rules: { expr: string }[] }[];
    }
  ).groups.flatMap((g) => g.rules.map((r) => r.expr)),
);

describe('dashboards', () => {
  it('there are the four: Overview, Service RED, Kafka/Redpanda, Resources, with unique uids', () => {
    assert.deepEqual(dashboards.map((x) => x.d.title).sort(), [
      'Foundation — Kafka / Redpanda',
      'Foundation — Overview',
      'Foundation — Resources',
      'Foundation — Service RED metrics',
    ]);
    assert.equal(new Set(dashboards.map((x) => x.d.uid)).size, 4);
  });

  for (const { file, d } of dashboards) {
    it(`${file}: every panel queries, and only metrics someone exports (metrics.json says who)`, () => {
      for (const p of d.panels) {
        assert.ok(p.targets.length > 0, `${p.title} has a query`);
        for (const t of p.targets) {
          const unknown = metricNames(t.expr).filter((n) => !known.has(n));
          assert.deepEqual(unknown, [], `${p.title}: ${t.expr}`);
        }
      }
    });
  }

  it('the rules read only known metrics too', () => {
    const unknown = ruleExprs.flatMap(metricNames).filter((n) => !known.has(n));
    assert.deepEqual(unknown, []);
  });

  it('metric-name extraction skips functions, label lists, strings and variables', () => {
    assert.deepEqual(
      metricNames(
        'histogram_quantile(0.95, sum by (le, job) (rate(http_request_duration_seconds_bucket{job=~"$job", route="/a(b)"}[5m])))',
      ),
      ['http_request_duration_seconds_bucket'],
    );
    assert.deepEqual(
      metricNames('1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes > 0.9').sort(),
      ['node_memory_MemAvailable_bytes', 'node_memory_MemTotal_bytes'],
    );
  });
});
