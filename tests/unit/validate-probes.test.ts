// The probes besides the end-to-end one, over fakes: retention read back, dashboard load, the report's
// freshness (task 0-13's check), the CI record. The cluster, broker and CI-workflow probes: validate-cluster-probes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunSummary } from '../../lib/report/summary.js';
import { recordedRun as run } from '../helpers/run-summary.js';
import { ciObservations } from '../../lib/validate/ci-evidence.js';
import { dashboardObservations, dashboardSources } from '../../lib/validate/dashboard-evidence.js';
import { dsQueryProblem, panelQueries, panelQuery } from '../../lib/validate/panel-queries.js';
import { reportState } from '../../lib/validate/freshness.js';
import { REPORT_SCHEMA_VERSION } from '../../lib/validate/report.js';
import { durationMs, retentionObservations } from '../../lib/validate/retention-evidence.js';
import { fakeHttp, json } from '../helpers/fake-http.js';
import { lokiConfig, tempoConfig } from '../helpers/recorded.js';

describe('retention read back from the running components', () => {
  it('durations as the components print them', () => {
    assert.deepEqual(
      ['30d', '336h', '2w', '168h0m0s', '1w', '15d', '90s', '1h30m', '', '30 d', '7', 'abc'].map(durationMs),
      [
        2_592_000_000,
        1_209_600_000,
        1_209_600_000,
        604_800_000,
        604_800_000,
        1_296_000_000,
        90_000,
        5_400_000,
        null,
        null,
        null,
        null,
      ],
    );
  });

  const expected = { metrics: '30d', logs: '336h', traces: '168h' };
  const urls = { prometheus: 'http://prom', loki: 'http://loki', tempo: 'http://tempo' };

  it('all three as declared: PASS, in days', async () => {
    const http = fakeHttp({
      'http://prom/api/v1/status/flags': () =>
        json({ status: 'success', data: { 'storage.tsdb.retention.time': '30d' } }),
      'http://loki/config': () => ({ status: 200, body: lokiConfig('2w') }),
      'http://tempo/status/config': () => ({ status: 200, body: tempoConfig('168h0m0s') }),
    });
    const m1 = (await retentionObservations(http, urls, expected))['REQ-0.3/M1'];
    assert.ok(m1?.kind === 'fact' && m1.holds, JSON.stringify(m1));
    assert.equal(
      m1.detail,
      'read back from the running components: metrics 30 d (Prometheus GET /api/v1/status/flags), logs 14 d (Loki GET /config), traces 7 d (Tempo GET /status/config)',
    );
  });

  it('one component keeping less than declared, one unreachable: FAIL naming both, each with its fix', async () => {
    const http = fakeHttp({
      'http://prom/api/v1/status/flags': () => json({ data: { 'storage.tsdb.retention.time': '30d' } }),
      'http://loki/config': () => ({ status: 200, body: lokiConfig('1w') }),
    });
    const m1 = (await retentionObservations(http, urls, expected))['REQ-0.3/M1'];
    assert.ok(m1?.kind === 'fact' && !m1.holds);
    assert.equal(
      m1.detail,
      'logs: Loki keeps 1w, the values say 336h; traces: Tempo at http://tempo: connection refused (is it running, on this address?); metrics 30 d (Prometheus GET /api/v1/status/flags) as declared',
    );
    assert.equal(m1.fix, 'foundation run 0-5 (compose: 0-7); foundation run 0-6 (compose: 0-7)');
  });

  it('TEMPO_URL a Jaeger query API (TRACES_API=jaeger): traces not read, saying why, not "set TEMPO_URL"', async () => {
    const http = fakeHttp({
      'http://prom/api/v1/status/flags': () => json({ data: { 'storage.tsdb.retention.time': '30d' } }),
      'http://loki/config': () => ({ status: 200, body: lokiConfig('2w') }),
    });
    const m1 = (
      await retentionObservations(http, { ...urls, tempo: null, jaeger: 'http://jaeger:16686' }, expected)
    )['REQ-0.3/M1'];
    assert.ok(m1?.kind === 'absent', JSON.stringify(m1));
    assert.match(
      m1.reason,
      /; not read: traces \(TEMPO_URL http:\/\/jaeger:16686 is a Jaeger query API, TRACES_API=jaeger: Jaeger does not publish its retention\)$/,
    );
    assert.doesNotMatch(m1.reason, /Tempo/);
  });

  it('a Loki whose compactor deletes nothing keeps logs forever, whatever its period; a size cap is said', async () => {
    const http = fakeHttp({
      'http://prom/api/v1/status/flags': () =>
        json({
          data: { 'storage.tsdb.retention.time': '30d', 'storage.tsdb.retention.size': '1536MB' },
        }),
      'http://loki/config': () => ({
        status: 200,
        body: lokiConfig('2w').replace('retention_enabled: true', 'retention_enabled: false'),
      }),
      'http://tempo/status/config': () => ({ status: 200, body: tempoConfig('168h0m0s') }),
    });
    const m1 = (await retentionObservations(http, urls, expected))['REQ-0.3/M1'];
    assert.ok(m1?.kind === 'fact' && !m1.holds);
    assert.match(
      m1.detail,
      /^logs: Loki keeps everything, forever \(compactor.retention_enabled is not true\)/,
    );
    assert.match(m1.detail, /metrics 30 d, or until the data reaches 1536MB, whichever comes first/);
  });
});

describe('dashboard load', () => {
  const files = [
    {
      path: 'overview.json',
      text: JSON.stringify({ uid: 'foundation-overview', title: 'Overview', panels: [] }),
    },
    { path: 'no-uid.json', text: JSON.stringify({ panels: [] }) },
  ];
  const prom = { type: 'prometheus', uid: 'prometheus' };
  /** The dashboard as Grafana serves it: a panel, a row with a panel, a hidden query, a text panel. */
  const served = {
    dashboard: {
      uid: 'foundation-overview',
      panels: [
        { title: 'Up', datasource: prom, targets: [{ refId: 'A', expr: 'sum(up)' }] },
        {
          title: 'Row',
          panels: [
            {
              title: 'Rate',
              datasource: prom,
              targets: [
                { refId: 'A', expr: 'rate(x{job=~"$job"}[$__rate_interval])' },
                { refId: 'B', expr: 'old', hide: true },
                { refId: 'C', expr: 'y', datasource: { uid: 'other' } },
              ],
            },
          ],
        },
        { title: 'Notes', type: 'text' },
      ],
    },
  };
  /** Grafana's answer: a result for every query the body sent. */
  const ok = (body: unknown) => ({
    results: Object.fromEntries(
      ((body as { queries?: { refId: string }[] } | undefined)?.queries ?? []).map((q) => [
        q.refId,
        { status: 200, frames: [] },
      ]),
    ),
  });

  it('the dashboards of the repository; each panel’s queries as Grafana serves them, variables at "All"', () => {
    assert.deepEqual(dashboardSources(files), [{ uid: 'foundation-overview', title: 'Overview' }]);
    assert.deepEqual(panelQueries(served.dashboard), [
      { panel: 'Up', queries: [{ refId: 'A', datasource: prom, expr: 'sum(up)' }] },
      {
        panel: 'Rate',
        queries: [
          { refId: 'A', datasource: prom, expr: 'rate(x{job=~".+"}[$__rate_interval])' },
          { refId: 'C', datasource: { uid: 'other' }, expr: 'y' },
        ],
      },
    ]);
    // Targets without a refId get free ones; a datasource variable is left to Grafana's default.
    assert.deepEqual(
      panelQueries({
        panels: [
          {
            title: 'P',
            datasource: { uid: '${DS_PROMETHEUS}' },
            targets: [{ expr: 'a' }, { refId: 'A', expr: 'b' }, { expr: 'c', datasource: '$datasource' }],
          },
        ],
      }),
      [
        {
          panel: 'P',
          queries: [
            { refId: 'B', datasource: null, expr: 'a' },
            { refId: 'A', datasource: null, expr: 'b' },
            { refId: 'C', datasource: null, expr: 'c' },
          ],
        },
      ],
    );
    assert.equal(
      panelQuery('rate(x{job=~"$job", ns=~"${namespace}", a=~"[[app]]"}[$__range])'),
      'rate(x{job=~".+", ns=~".+", a=~".+"}[$__range])',
    );
  });

  it('its JSON from Grafana, then one POST /api/ds/query per panel through its datasources: a figure in ms', async () => {
    const bodies: unknown[] = [];
    const http = fakeHttp({
      'http://grafana/api/dashboards/uid/foundation-overview': () => json(served),
      'http://grafana/api/ds/query': (_url, body) => {
        bodies.push(body);
        return json(ok(body));
      },
    });
    const m3 = (await dashboardObservations(http, 'http://grafana', 'Basic x', dashboardSources(files)))[
      'REQ-0.3/M3'
    ];
    assert.ok(m3?.kind === 'value' && m3.unit === 'ms' && m3.value >= 0, JSON.stringify(m3));
    assert.match(m3.how, /^slowest of 1 dashboards \(Overview, 2 panels\)/);
    assert.equal(bodies.length, 2);
    const rate = bodies[1] as { from: string; to: string; queries: Record<string, unknown>[] };
    assert.equal(Number(rate.to) - Number(rate.from), 3_600_000);
    assert.deepEqual(
      rate.queries.map((q) => [q.refId, q.datasource, q.expr, q.intervalMs, q.maxDataPoints]),
      [
        ['A', prom, 'rate(x{job=~".+"}[$__rate_interval])', 15_000, 240],
        ['C', { uid: 'other' }, 'y', 15_000, 240],
      ],
    );
  });

  it('a datasource Grafana cannot reach: FAIL naming the panel and Grafana’s error, whatever the status', async () => {
    for (const status of [200, 207, 400, 500]) {
      const http = fakeHttp({
        'http://grafana/api/dashboards/uid/': () => json(served),
        'http://grafana/api/ds/query': () =>
          json(
            {
              results: {
                A: {
                  status: 500,
                  error: 'Post "http://prometheus:9090/api/v1/query_range": connection refused',
                },
              },
            },
            status,
          ),
      });
      const m3 = (await dashboardObservations(http, 'http://grafana', null, dashboardSources(files)))[
        'REQ-0.3/M3'
      ];
      assert.ok(m3?.kind === 'error', String(status));
      assert.match(
        m3.reason,
        /^panel "Up" of foundation-overview failed in Grafana: query A: Post .*connection refused$/,
      );
    }
    assert.equal(dsQueryProblem(502, '', ['A']), 'HTTP 502');
    assert.equal(dsQueryProblem(200, JSON.stringify(ok({ queries: [{ refId: 'A' }] })), ['A']), null);
    // A 2xx that is no answer to the queries sent: never a load time.
    const table: [number, string, string][] = [
      [200, '<!doctype html><title>Grafana login</title>', 'not a query result (HTTP 200: <!doctype html>'],
      [200, '{}', 'not a query result (HTTP 200: {})'],
      [200, '{"results":{}}', "query A: no result in Grafana's answer"],
      [200, '{"results":{"A":{"status":500}}}', 'query A: status 500'],
      [207, '{"results":{"A":{"status":400,"error":""}}}', 'query A: status 400'],
      [200, '{"results":{"A":{"error":{"message":"x"}}}}', 'query A: {"message":"x"}'],
    ];
    for (const [status, body, problem] of table)
      assert.ok(dsQueryProblem(status, body, ['A'])?.startsWith(problem), `${status} ${body}`);
  });

  it('a panel naming no datasource: Grafana’s default one, asked once', async () => {
    const bodies: { queries: { datasource?: unknown }[] }[] = [];
    const http = fakeHttp({
      'http://grafana/api/dashboards/uid/': () =>
        json({
          dashboard: {
            panels: [
              { title: 'A', targets: [{ expr: 'a' }] },
              { title: 'B', targets: [{ expr: 'b' }] },
            ],
          },
        }),
      'http://grafana/api/datasources': () =>
        json([
          { uid: 'loki', type: 'loki' },
          { uid: 'prom-1', type: 'prometheus', isDefault: true },
        ]),
      'http://grafana/api/ds/query': (_url, body) => {
        bodies.push(body as { queries: { datasource?: unknown }[] });
        return json(ok(body));
      },
    });
    const m3 = (await dashboardObservations(http, 'http://grafana', null, dashboardSources(files)))[
      'REQ-0.3/M3'
    ];
    assert.equal(m3?.kind, 'value');
    assert.deepEqual(
      bodies.map((b) => b.queries[0]?.datasource),
      [
        { uid: 'prom-1', type: 'prometheus' },
        { uid: 'prom-1', type: 'prometheus' },
      ],
    );
    assert.equal(http.requests.filter((r) => r.endsWith('/api/datasources')).length, 1);
  });

  it('Grafana refusing the credentials: FAIL with the status; no address: not measured', async () => {
    const http = fakeHttp({
      'http://grafana/api/dashboards/uid/': () => json({ message: 'invalid username or password' }, 401),
    });
    const m3 = (await dashboardObservations(http, 'http://grafana', null, dashboardSources(files)))[
      'REQ-0.3/M3'
    ];
    assert.ok(m3?.kind === 'error');
    assert.equal(m3.reason, 'Grafana answered HTTP 401 for dashboard foundation-overview');
    const none = (await dashboardObservations(http, null, null, dashboardSources(files)))['REQ-0.3/M3'];
    assert.ok(none?.kind === 'absent' && /set GRAFANA_URL/.test(none.reason));
  });

  it('REQ-0.3/AC2 from Grafana itself: a dashboard it answers 404 for is not provisioned', async () => {
    const sources = dashboardSources(files);
    const ask = (status: number) =>
      dashboardObservations(
        fakeHttp({
          'http://grafana/api/dashboards/uid/': () =>
            status === 200 ? json(served) : json({ message: 'Dashboard not found' }, status),
          'http://grafana/api/ds/query': (_url, body) => json(ok(body)),
        }),
        'http://grafana',
        null,
        sources,
      );
    const missing = await ask(404);
    const ac2 = missing['REQ-0.3/AC2'];
    assert.ok(ac2?.kind === 'fact' && !ac2.holds && /no dashboard foundation-overview/.test(ac2.detail));
    assert.equal(missing['REQ-0.3/M3']?.kind, 'error');
    const servedAll = (await ask(200))['REQ-0.3/AC2'];
    assert.ok(
      servedAll?.kind === 'fact' && servedAll.holds && /serves all 1 dashboards/.test(servedAll.detail),
    );
  });
});

describe('task 0-13’s check: whether the last report still stands', () => {
  const report = (over: object = {}) =>
    JSON.stringify({
      v: REPORT_SCHEMA_VERSION,
      generatedAt: '2026-11-26T01:00:00.000Z',
      target: 'k3d',
      verdict: 'INCOMPLETE',
      counts: { PASS: 40, FAIL: 0, 'NOT MEASURED': 18 },
      findings: [],
      ...over,
    });
  const table: [string, string | null, RunSummary[], string, RegExp][] = [
    ['no report', null, [], 'missing', /no Phase 0 report yet/],
    ['unreadable', '{', [], 'missing', /cannot be read/],
    ['older schema', report({ v: 1 }), [], 'drift', /schema 1/],
    ['other target', report({ target: 'compose' }), [], 'drift', /for target compose/],
    [
      'a later run changed the platform',
      report(),
      [run('r2', '2026-11-26T02:00:00.000Z', { '0-3': 'changed', '0-13': 'changed' })],
      'drift',
      /^run r2 changed 0-3 after the last report \(2026-11-26T01/,
    ],
    [
      'a later apply that failed after changing things',
      report(),
      [run('r2', '2026-11-26T02:00:00.000Z', { '0-3': 'failed', '0-13': 'blocked' })],
      'drift',
      /^run r2 changed 0-3 \(failed after applying\) after the last report/,
    ],
    [
      'a FAIL in it',
      report({ verdict: 'FAIL', findings: [{ id: 'REQ-0.2/M2', status: 'FAIL' }] }),
      [],
      'drift',
      /1 FAIL: REQ-0\.2\/M2/,
    ],
    [
      'stands',
      report(),
      [run('r2', '2026-11-26T02:00:00.000Z', { '0-3': 'ok', '0-13': 'changed' })],
      'ok',
      /^INCOMPLETE on .*: 40 PASS, 18 NOT MEASURED$/,
    ],
  ];
  for (const [name, latest, runs, status, why] of table)
    it(`${name} → ${status}`, () => {
      const r = reportState(latest, runs, 'k3d');
      assert.equal(r.status, status);
      assert.match('reason' in r ? r.reason : (r.detail ?? ''), why);
    });
});

describe('CI duration from the recorded run', () => {
  it('a .ci/run record is a figure; a local suite or none is NOT MEASURED with the reason', () => {
    const record = {
      v: 1,
      startedAt: '2026-11-26T00:00:00Z',
      durationMs: 240_000,
      ci: true,
      passed: 530,
      failed: 0,
      skipped: 0,
    };
    const m1 = ciObservations({ ...record, pipelineMs: 384_000 })['REQ-0.5/M1'];
    assert.ok(m1?.kind === 'value' && m1.value === 384_000);
    assert.match(m1.how, /530 passed, 0 failed, 0 skipped; tests alone 240 s/);
    const local = ciObservations({ ...record, ci: false })['REQ-0.5/M1'];
    assert.ok(local?.kind === 'absent' && /ran outside CI/.test(local.reason));
    const none = ciObservations(null)['REQ-0.5/M1'];
    assert.ok(none?.kind === 'absent' && /no CI run is recorded/.test(none.reason));
  });
});
