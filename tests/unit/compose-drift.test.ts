// Drift of the Compose platform, as data: generated files against the render (by file and setting),
// containers against the project (missing, stopped, unhealthy, other configuration or definition).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileDrift, restartNeeded, serviceDrift } from '../../lib/compose/drift.js';
import type { RenderedStack } from '../../lib/compose/render.js';

const rendered: RenderedStack = {
  files: [
    { path: 'loki/loki.yaml', service: 'loki', content: 'limits_config:\n  retention_period: 336h\n' },
    { path: 'grafana/dashboards/a.json', service: 'grafana', content: '{"title":"A"}' },
    { path: 'alloy/config.alloy', service: 'alloy', content: 'loki.write "x" {}\n' },
  ],
  env: {
    LOKI_CONFIG: 'sha256:l2',
    GRAFANA_CONFIG: 'sha256:g1',
    ALLOY_CONFIG: 'sha256:a1',
    PROMETHEUS_RETENTION: '30d',
  },
};
const ENV = 'PROMETHEUS_RETENTION=30d\n';
const disk = (over: Record<string, string | null> = {}) =>
  new Map<string, string | null>([
    ...rendered.files.map((f): [string, string] => [f.path, f.content]),
    ['infra.env', ENV],
    ...Object.entries(over),
  ]);

describe('Compose drift', () => {
  it('nothing differs → no drift', () => {
    assert.deepEqual(fileDrift(rendered, disk(), ENV), []);
  });

  it('files: by setting for YAML, JSON and the env file; by file otherwise; a missing file is missing', () => {
    const drift = fileDrift(
      rendered,
      disk({
        'loki/loki.yaml': 'limits_config:\n  retention_period: 240h\n',
        'grafana/dashboards/a.json': '{"title":"B"}',
        'alloy/config.alloy': null,
        'infra.env': 'PROMETHEUS_RETENTION=15d\n',
      }),
      ENV,
    );
    assert.deepEqual(drift, [
      {
        service: 'loki',
        kind: 'drift',
        what: 'loki/loki.yaml: limits_config.retention_period: "240h" → "336h"',
      },
      { service: 'grafana', kind: 'drift', what: 'grafana/dashboards/a.json: title: "B" → "A"' },
      { service: 'alloy', kind: 'missing', what: 'alloy/config.alloy not written' },
      { service: 'prometheus', kind: 'drift', what: 'infra.env: PROMETHEUS_RETENTION: "15d" → "30d"' },
    ]);
    assert.deepEqual(fileDrift(rendered, disk({ 'alloy/config.alloy': 'x' }), ENV), [
      { service: 'alloy', kind: 'drift', what: 'alloy/config.alloy differs' },
    ]);
  });

  it('services: absent, exited, unhealthy, other configuration, other definition', () => {
    const defs = { loki: 'd-loki', grafana: 'd-grafana', alloy: 'd-alloy', demo: 'd-demo' };
    const ok = (service: string, extra = {}) => ({
      service,
      state: 'running',
      health: 'healthy',
      configHash: `d-${service}`,
      ...extra,
    });
    const drift = serviceDrift(
      ['loki', 'grafana', 'alloy', 'demo', 'tempo'],
      [
        ok('loki', { foundationConfig: 'sha256:l1' }),
        ok('grafana', { foundationConfig: 'sha256:g1', health: 'unhealthy' }),
        ok('alloy', { foundationConfig: 'sha256:a1', state: 'exited', health: '' }),
        ok('demo', { configHash: 'old' }),
      ],
      defs,
      rendered,
    );
    assert.deepEqual(
      drift.map((d) => `${d.kind} ${d.service}: ${d.what}`),
      [
        'drift loki: runs configuration sha256:l1, rendered sha256:l2',
        'drift grafana: container unhealthy',
        'drift alloy: container exited',
        'drift demo: its Compose definition changed since it was created',
        'missing tempo: no container',
      ],
    );
  });

  it('a repaired file under a container that already carries the render → that service is restarted', () => {
    const files = fileDrift(
      rendered,
      disk({ 'grafana/dashboards/a.json': '{}', 'loki/loki.yaml': 'x: 1\n' }),
      ENV,
    );
    const running = [
      { service: 'grafana', state: 'running', health: 'healthy', foundationConfig: 'sha256:g1' },
      { service: 'loki', state: 'running', health: 'healthy', foundationConfig: 'sha256:old' },
    ];
    assert.deepEqual(restartNeeded(files, running, rendered), ['grafana']);
  });
});
