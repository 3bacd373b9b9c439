// The probes besides the end-to-end one, over fakes: retention read back, dashboard load, the report's
// freshness (task 0-13's check), the CI record, the cluster and broker restarts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectRef } from '../../lib/model/context.js';
import type { RunSummary } from '../../lib/report/summary.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ciObservations } from '../../lib/validate/ci-evidence.js';
import { ciWorkflowObservations } from '../../lib/validate/ci-workflow-evidence.js';
import { ROOT } from '../helpers/cli.js';
import { clusterObservations, recordedCluster } from '../../lib/validate/cluster-evidence.js';
import {
  dashboardObservations,
  dashboardSources,
  panelQuery,
} from '../../lib/validate/dashboard-evidence.js';
import { reportState } from '../../lib/validate/freshness.js';
import { persistenceObservations } from '../../lib/validate/persistence-evidence.js';
import { REPORT_SCHEMA_VERSION } from '../../lib/validate/report.js';
import { durationMs, retentionObservations } from '../../lib/validate/retention-evidence.js';
import { fakeContext } from '../helpers/fixtures.js';
import { fakeCompose, fakeK3d } from '../helpers/fake-ports.js';
import { fakeHttp, json } from '../helpers/fake-http.js';
import { lokiConfig, tempoConfig } from '../helpers/recorded.js';

const noSleep = () => Promise.resolve();

const run = (runId: string, startedAt: string, outcomes: Record<string, string>): RunSummary =>
  ({
    v: 1,
    runId,
    mode: 'run',
    target: 'k3d',
    startedAt,
    durationMs: 1_000,
    exitCode: 0,
    counts: {},
    runDir: `.foundation/runs/${runId}`,
    tasks: Object.entries(outcomes).map(([id, outcome]) => ({
      id,
      title: id,
      outcome,
      durationMs: 90_000,
      applies: 1,
    })),
  }) as RunSummary;

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
});

describe('dashboard load', () => {
  const files = [
    {
      path: 'overview.json',
      text: JSON.stringify({
        uid: 'foundation-overview',
        title: 'Overview',
        panels: [
          { targets: [{ expr: 'sum(up)' }] },
          { panels: [{ targets: [{ expr: 'rate(x{job=~"$job"}[5m])' }] }] },
        ],
      }),
    },
    { path: 'no-uid.json', text: JSON.stringify({ panels: [] }) },
  ];

  it('the dashboards and their panel queries, nested rows too; variables at "All"', () => {
    assert.deepEqual(dashboardSources(files), [
      { uid: 'foundation-overview', title: 'Overview', exprs: ['sum(up)', 'rate(x{job=~"$job"}[5m])'] },
    ]);
    assert.equal(
      panelQuery('rate(x{job=~"$job", ns=~"${namespace}"}[5m])'),
      'rate(x{job=~".+", ns=~".+"}[5m])',
    );
  });

  it('its JSON from Grafana with the admin credentials, then every panel query: a figure in ms', async () => {
    const http = fakeHttp({
      'http://grafana/api/dashboards/uid/foundation-overview': () =>
        json({ dashboard: { uid: 'foundation-overview' }, meta: {} }),
      'http://prom/api/v1/query_range': () => json({ status: 'success', data: { result: [] } }),
    });
    const m3 = (
      await dashboardObservations(
        http,
        { grafana: 'http://grafana', prometheus: 'http://prom' },
        'Basic x',
        dashboardSources(files),
      )
    )['REQ-0.3/M3'];
    assert.ok(m3?.kind === 'value' && m3.unit === 'ms' && m3.value >= 0, JSON.stringify(m3));
    assert.match(m3.how, /^slowest of 1 dashboards \(Overview, 2 panels\)/);
    assert.equal(http.requests.filter((r) => r.includes('query_range')).length, 2);
    assert.ok(http.requests.some((r) => decodeURIComponent(r).includes('x{job=~".+"}')));
  });

  it('Grafana refusing the credentials: FAIL with the status', async () => {
    const http = fakeHttp({
      'http://grafana/api/dashboards/uid/': () => json({ message: 'invalid username or password' }, 401),
    });
    const m3 = (
      await dashboardObservations(
        http,
        { grafana: 'http://grafana', prometheus: 'http://prom' },
        null,
        dashboardSources(files),
      )
    )['REQ-0.3/M3'];
    assert.ok(m3?.kind === 'error');
    assert.equal(m3.reason, 'Grafana answered HTTP 401 for dashboard foundation-overview');
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
      /run r2 changed the platform after the last report/,
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

describe('the cluster: recorded creation, restart on request', () => {
  it('start-up from task 0-2’s creation in the run store; two creations prove a recreate', () => {
    const runs = [
      run('r1', '2026-11-25T10:00:00Z', { '0-2': 'changed' }),
      run('r2', '2026-11-25T11:00:00Z', { '0-2': 'ok' }),
      run('r3', '2026-11-25T12:00:00Z', { '0-2': 'changed' }),
    ];
    const obs = recordedCluster(runs);
    assert.ok(obs['REQ-0.1/M1']?.kind === 'value' && obs['REQ-0.1/M1'].value === 90_000);
    assert.match(obs['REQ-0.1/M1'].how, /run r3/);
    assert.ok(obs['REQ-0.1/AC4']?.kind === 'fact' && obs['REQ-0.1/AC4'].holds);
    assert.ok(recordedCluster(runs.slice(0, 2))['REQ-0.4/AC2']?.kind === 'absent');
  });

  it('--restart-cluster on k3d: stop, start, nodes Ready timed, the demo back', async () => {
    const k3d = fakeK3d([{ name: 'foundation', servers: 1, serversRunning: 1 }]);
    const rollouts: string[] = [];
    const ctx = fakeContext();
    const kube = {
      ...ctx.kube,
      version: () => Promise.resolve('v1.33.4+k3s1'),
      nodes: () => Promise.resolve([{ name: 'k3d-foundation-server-0', ready: true }]),
      rollout: (ref: ObjectRef) => {
        rollouts.push(ref.name);
        return Promise.resolve({ ready: true as const, ms: 1_200 });
      },
    };
    const obs = await clusterObservations(
      { kube, k3d },
      { target: 'k3d', clusterName: 'foundation', restart: true, runs: [], sleep: noSleep },
    );
    assert.deepEqual(k3d.calls, ['stop foundation', 'start foundation']);
    assert.deepEqual(rollouts, ['demo-service', 'demo-service'], 'before (AC2) and after the restart (AC3)');
    assert.ok(obs['REQ-0.1/M1']?.kind === 'value' && obs['REQ-0.1/M1'].unit === 'ms');
    assert.ok(obs['REQ-0.1/AC3']?.kind === 'fact' && obs['REQ-0.1/AC3'].holds);
    assert.ok(obs['REQ-0.1/AC2']?.kind === 'fact' && obs['REQ-0.1/AC2'].holds);
    const without = await clusterObservations(
      { kube, k3d },
      { target: 'k3d', clusterName: 'foundation', restart: false, runs: [], sleep: noSleep },
    );
    assert.deepEqual(without['REQ-0.1/AC3'], {
      kind: 'absent',
      reason: 'the cluster is restarted only with --restart-cluster',
      byChoice: true,
    });
    assert.equal(k3d.calls.length, 2, 'no restart unless asked');
  });
});

describe('the cluster, bad cases', () => {
  it('no cluster: the API’s refusal is a FAIL with the cause and the fix, nothing restarted', async () => {
    const ctx = fakeContext();
    const k3d = fakeK3d([]);
    const obs = await clusterObservations(
      { kube: ctx.kube, k3d },
      { target: 'k3d', clusterName: 'foundation', restart: true, runs: [], sleep: noSleep },
    );
    assert.deepEqual(obs['REQ-0.1/AC1'], {
      kind: 'error',
      reason: 'the Kubernetes API: no Kubernetes in this fake context',
      fix: 'foundation run 0-2 (then: kubectl cluster-info)',
      how: 'GET /version',
    });
    assert.deepEqual(obs['REQ-0.1/AC3'], {
      kind: 'absent',
      reason: 'the cluster does not answer',
      byChoice: false,
    });
    assert.deepEqual(k3d.calls, []);
  });

  it('target cluster: not Foundation’s to create or restart, said as a choice', async () => {
    const ctx = fakeContext();
    const kube = { ...ctx.kube, version: () => Promise.resolve('v1.35.4') };
    const obs = await clusterObservations(
      { kube, k3d: fakeK3d([]) },
      { target: 'cluster', clusterName: 'x', restart: true, runs: [], sleep: noSleep },
    );
    for (const id of ['REQ-0.1/M1', 'REQ-0.1/AC4', 'REQ-0.4/AC2', 'REQ-0.1/AC3']) {
      const o = obs[id];
      assert.ok(o?.kind === 'absent' && o.byChoice === true, id);
      assert.match(o.reason, /^target cluster: Foundation/);
    }
  });
});

describe('broker persistence, only with --restart-broker', () => {
  const topics = [{ name: 'demo.events', partitions: 3, replicationFactor: 1, config: {} }];
  const mark = { topic: 'foundation-validate-persist-1', value: 'v' };

  it('a marked message read back after docker compose restart redpanda, the declared topics still there', async () => {
    const compose = fakeCompose(['redpanda']);
    let reads = 0;
    const bus = {
      ...fakeContext().validation.bus,
      mark: () => Promise.resolve(mark),
      // The first read meets a broker still starting: it is read again.
      readBack: () =>
        ++reads === 1 ? Promise.reject(new Error('connection refused')) : Promise.resolve(true),
    };
    const kafka = {
      connect: () =>
        Promise.resolve({
          describe: () =>
            Promise.resolve([
              { name: 'demo.events', partitions: 3, replicationFactor: 1, config: {}, leaderless: 0 },
            ]),
          create: () => Promise.resolve('created' as const),
          setConfig: () => Promise.resolve(),
          addPartitions: () => Promise.resolve(),
          delete: () => Promise.resolve(),
          close: () => Promise.resolve(),
        }),
    };
    const obs = await persistenceObservations(
      { bus, kafka, compose, kube: fakeContext().kube },
      {
        target: 'compose',
        brokers: ['127.0.0.1:19092'],
        restart: true,
        project: { file: '/p/compose.yml' },
        topics,
        sleep: noSleep,
      },
    );
    assert.deepEqual(compose.restarts, [['redpanda']]);
    assert.equal(reads, 2);
    assert.deepEqual(obs['REQ-0.2/AC5'], {
      kind: 'fact',
      holds: true,
      detail: 'the message written before the restart was read back; all 1 declared topics still there',
      how: 'docker compose restart redpanda between write and read',
      fix: 'check the broker’s persistent volume (k8s/redpanda/redpanda.yaml; compose: the redpanda volume)',
    });
    assert.ok(obs['REQ-0.2/M3']?.kind === 'fact' && obs['REQ-0.2/M3'].holds);
  });

  it('without the flag: NOT MEASURED by choice, nothing restarted', async () => {
    const compose = fakeCompose(['redpanda']);
    const ctx = fakeContext();
    const obs = await persistenceObservations(
      { bus: ctx.validation.bus, kafka: ctx.kafka, compose, kube: ctx.kube },
      { target: 'compose', brokers: ['b:1'], restart: false, project: null, topics, sleep: noSleep },
    );
    assert.ok(obs['REQ-0.2/AC5']?.kind === 'absent' && obs['REQ-0.2/AC5'].byChoice === true);
    assert.deepEqual(compose.restarts, []);
  });
});

describe('REQ-0.5 from the CI workflow as configured', () => {
  const repo = readFileSync(join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8');

  it('this repository’s workflow: tests on push, checks, an image that waits for them', () => {
    const obs = ciWorkflowObservations(repo);
    for (const id of ['REQ-0.5/AC1', 'REQ-0.5/AC2', 'REQ-0.5/AC3', 'REQ-0.5/AC4'])
      assert.ok(obs[id]?.kind === 'fact' && obs[id].holds, `${id}: ${JSON.stringify(obs[id])}`);
    const ac4 = obs['REQ-0.5/AC4'];
    assert.ok(ac4?.kind === 'fact');
    assert.match(ac4.detail, /image waits for lint, unit$/);
  });

  it('an image that does not wait, no push trigger, no workflow at all: FAIL saying which', () => {
    const loose = repo
      .replace('    needs: [lint, unit]\n', '')
      .replace('  push:\n    branches: [main]\n', '');
    const obs = ciWorkflowObservations(loose);
    assert.ok(obs['REQ-0.5/AC4']?.kind === 'fact' && !obs['REQ-0.5/AC4'].holds);
    assert.ok(obs['REQ-0.5/AC1']?.kind === 'fact' && !obs['REQ-0.5/AC1'].holds);
    assert.match(obs['REQ-0.5/AC1'].detail, /^runs on pull_request; test jobs: unit, integration$/);
    const none = ciWorkflowObservations(null)['REQ-0.5/AC3'];
    assert.ok(none?.kind === 'fact' && !none.holds && none.detail === 'there is no .github/workflows/ci.yml');
  });
});
