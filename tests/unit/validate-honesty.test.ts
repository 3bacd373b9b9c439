// What validate may not claim (from an audit of its evidence): a pass needs the thing itself, not a
// neighbouring fact. CI as configured (filters, forgiven failures), the CI time of a failing run, latency
// at a fraction of the load, another server answering at DEMO_URL, and another target's runs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { latencyObservation } from '../../lib/validate/bus-evidence.js';
import { ciObservations } from '../../lib/validate/ci-evidence.js';
import { ciWorkflowObservations } from '../../lib/validate/ci-workflow-evidence.js';
import { endToEnd, slowestQuery } from '../../lib/validate/e2e.js';
import { observedRuns } from '../../lib/validate/probes.js';
import { clusterObservations } from '../../lib/validate/cluster-evidence.js';
import { ROOT } from '../helpers/cli.js';
import { fakeContext } from '../helpers/fixtures.js';
import { fakeK3d } from '../helpers/fake-ports.js';
import { fakeHttp, json } from '../helpers/fake-http.js';
import { recordedRun } from '../helpers/run-summary.js';

const holds = (o: unknown): boolean | undefined =>
  (o as { kind?: string; holds?: boolean } | undefined)?.kind === 'fact'
    ? (o as { holds: boolean }).holds
    : undefined;

describe('REQ-0.5 from a workflow that does not do what it seems to', () => {
  const repo = readFileSync(join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8');

  it('a paths filter on push, tags only, or branches without pull_request: not every push', () => {
    const variants = {
      paths: repo.replace('    branches: [main]\n', '    branches: [main]\n    paths: [src/**]\n'),
      tags: repo.replace('    branches: [main]\n', "    tags: ['v*']\n"),
      branchesOnly: repo.replace('  pull_request:\n', ''),
    };
    for (const [name, source] of Object.entries(variants)) {
      const ac1 = ciWorkflowObservations(source)['REQ-0.5/AC1'];
      assert.equal(holds(ac1), false, name);
    }
    assert.match(
      JSON.stringify(ciWorkflowObservations(variants.paths)['REQ-0.5/AC1']),
      /only when its paths filter matches/,
    );
    assert.equal(holds(ciWorkflowObservations(repo)['REQ-0.5/AC1']), true, 'main, and pull requests');
  });

  it('a test or check whose failure is forgiven cannot make the run successful only when all pass', () => {
    const forgiven = {
      orTrue: repo.replace('      - run: npm run lint\n', '      - run: npm run lint || true\n'),
      step: repo.replace(
        '      - run: npm run typecheck\n',
        '      - run: npm run typecheck\n        continue-on-error: true\n',
      ),
      job: repo.replace('  lint:\n', '  lint:\n    continue-on-error: true\n'),
    };
    // `|| true` on another line of the step does not forgive the check's own line.
    const tidy = repo.replace(
      '      - run: npm run lint\n',
      '      - run: |\n          npm run lint\n          rm -rf tmp || true\n',
    );
    assert.equal(holds(ciWorkflowObservations(tidy)['REQ-0.5/AC4']), true);
    for (const [name, source] of Object.entries(forgiven)) {
      const ac4 = ciWorkflowObservations(source)['REQ-0.5/AC4'];
      assert.equal(holds(ac4), false, name);
      assert.match(JSON.stringify(ac4), /still lets the run pass/, name);
    }
    const ac2 = ciWorkflowObservations(repo)['REQ-0.5/AC2'];
    assert.match(JSON.stringify(ac2), /npm run lint, npm run typecheck/, 'names what runs');
  });

  it('the CI time of a run whose tests failed is not a CI duration', () => {
    const record = { v: 1, startedAt: 'x', durationMs: 1, pipelineMs: 2, ci: true, passed: 9, skipped: 0 };
    assert.equal(ciObservations({ ...record, failed: 412 })['REQ-0.5/M1']?.kind, 'error');
    assert.equal(ciObservations({ ...record, failed: 0 })['REQ-0.5/M1']?.kind, 'value');
  });
});

describe('latency judged at the rate asked', () => {
  const load = { rate: 10_000, recordMs: 4_000 };
  const perf = { sent: 1, msgPerSec: 1, p50Ms: 3, p95Ms: 47, p99Ms: 60 };

  it('a producer at a quarter of the rate: not measured, not a p95', () => {
    const m2 = latencyObservation({ ...perf, samples: 10_000, expectedSamples: 10_000 }, load, 'how');
    assert.ok(m2.kind === 'absent' && /kept up only 2500 of the 10000 msg\/s/.test(m2.reason));
  });

  it('at the rate: the p95; messages missing: an error', () => {
    const m2 = latencyObservation({ ...perf, samples: 40_000, expectedSamples: 40_000 }, load, 'how');
    assert.ok(m2.kind === 'value' && m2.value === 47 && /rate achieved 10000 msg\/s/.test(m2.how));
    const lost = latencyObservation({ ...perf, samples: 100, expectedSamples: 40_000 }, load, 'how');
    assert.ok(lost.kind === 'error' && /only 100 of 40000/.test(lost.reason));
  });
});

describe('the end-to-end probe against a server that is not the demo', () => {
  it('a 201 that is not JSON: the hop fails naming DEMO_URL, no crash and so a report', async () => {
    const http = fakeHttp({
      'http://demo/events/stream': () => json(''),
      'http://demo/events': () => ({ status: 201, body: '<html>created</html>' }),
    });
    const urls = { demo: 'http://demo', prometheus: 'http://p', loki: 'http://l', traces: null };
    const { hops, observations } = await endToEnd(http, urls, {
      hopTimeoutMs: 100,
      pollMs: 10,
      sleep: () => Promise.resolve(),
    });
    assert.equal(hops[0]?.found, false);
    assert.match(hops[0]?.detail ?? '', /HTTP 201, not the demo service's JSON answer/);
    const ac7 = observations['REQ-0.3/AC7'];
    assert.ok(ac7?.kind === 'error' && /not the demo service .*check DEMO_URL/.test(ac7.reason));
  });
});

describe('the run store read for one target', () => {
  it('runs of another target are no evidence for this one', () => {
    const k3d = recordedRun('k1', '2026-11-25T10:00:00Z', { '0-2': 'changed' });
    const compose = {
      ...recordedRun('c1', '2026-11-25T11:00:00Z', { '0-7': 'changed' }),
      target: 'compose' as const,
    };
    assert.deepEqual(
      observedRuns([k3d, compose], 'compose').map((r) => r.runId),
      ['c1'],
    );
  });
});

describe('a probe that could not look says why, for every criterion it serves', () => {
  it('the Kubernetes API down: the rollout (REQ-0.1/AC2) is not measured because of it, not "no probe"', async () => {
    const ctx = fakeContext();
    const kube = { ...ctx.kube, version: () => Promise.reject(new Error('connect ECONNREFUSED')) };
    const obs = await clusterObservations(
      { kube, k3d: fakeK3d([]) },
      { target: 'k3d', clusterName: 'foundation', restart: false, runs: [], sleep: () => Promise.resolve() },
    );
    assert.equal(obs['REQ-0.1/AC1']?.kind, 'error');
    const ac2 = obs['REQ-0.1/AC2'];
    assert.ok(ac2?.kind === 'absent' && /Kubernetes API did not answer/.test(ac2.reason));
  });
});

describe('query response (REQ-0.3/M2) needs every query API timed', () => {
  it('Loki found nothing: not measured, not a PASS on Prometheus alone', () => {
    const prom = { kind: 'value' as const, value: 12, unit: 'ms', how: 'GET /api/v1/query' };
    const hop = (name: string, found: boolean) => ({ name, found, ms: 1, query: 'q', detail: '' });
    const m2 = slowestQuery(prom, [hop('logged', false), hop('traced', true)]);
    assert.ok(
      m2?.kind === 'absent' &&
        /only Prometheus's query was timed \(12 ms\): Loki found nothing/.test(m2.reason),
    );
  });
});

describe('the demo’s counter must be seen to rise', () => {
  it('Prometheus silent before the event: no rise claimed from an old count', async () => {
    let asked = 0;
    const http = fakeHttp({
      'http://demo/events/stream': () => json(''),
      'http://demo/events': () => {
        setTimeout(() => {
          http.emit('id: e-1\nevent: event\ndata: {}\n\n');
        }, 5);
        return json({ id: 'e-1', traceId: null }, 201);
      },
      'http://p/api/v1/query': () =>
        ++asked === 1
          ? new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })
          : json({ status: 'success', data: { result: [{ value: [0, '41'] }] } }),
      'http://l/': () => json({ status: 'success', data: { resultType: 'streams', result: [] } }),
    });
    const urls = { demo: 'http://demo', prometheus: 'http://p', loki: 'http://l', traces: null };
    const { hops } = await endToEnd(http, urls, {
      hopTimeoutMs: 100,
      pollMs: 10,
      sleep: () => Promise.resolve(),
    });
    const metric = hops.find((h) => h.name === 'metric');
    assert.equal(metric?.found, false);
    assert.match(metric?.detail ?? '', /could not be read before the event/);
  });
});
