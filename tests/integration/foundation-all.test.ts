// `foundation all --target cluster` end to end, as a user runs it, against a control plane of its own:
// real tools, real helm and charts from a loopback repository, a real Docker engine, a real broker.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunSummary } from '../../lib/report/summary.js';
import { CRITERIA } from '../../lib/validate/criteria.js';
import { ensureStarted, nestedRoot } from '../../scripts/test-servers/manager.js';
import { serveCharts } from '../helpers/chart-repo.js';
import { chartsDir } from '../helpers/charts.js';
import { cli, userWorkspace, validateIn } from '../helpers/cli.js';
import { kubectl, useCluster, useDocker } from '../helpers/cluster.js';
import { root, useServer } from './servers.js';

const shared = await useCluster(); // PATH: the harness's kubectl and helm
const docker = await useDocker();
const kafkaShared = await useServer('kafka');
const skip = shared.skip || docker.skip || kafkaShared.skip;

describe('foundation all --target cluster, end to end', { skip, timeout: 30 * 60_000 }, () => {
  const ws = mkdtempSync(join(tmpdir(), 'foundation-all-'));
  let env: Record<string, string> = {};
  let repo: { url: string; server: Server };

  before(async () => {
    const own = nestedRoot(root(), 'all');
    const [kube, kafka] = await Promise.all([ensureStarted(own, 'kube'), ensureStarted(own, 'kafka')]);
    repo = await serveCharts(chartsDir());
    env = userWorkspace(ws, {
      KUBECONFIG: kube.env.KUBECONFIG ?? '',
      KAFKA_BROKERS: kafka.env.KAFKA_BROKERS ?? '',
      HELM_REPO_PROMETHEUS_COMMUNITY: repo.url,
      HELM_REPO_GRAFANA_COMMUNITY: repo.url,
      HELM_REPO_GRAFANA: repo.url,
    });
    // No provisioner runs in the harness (k3d brings local-path): volumes for the claims the stack makes.
    // The last two: task 0-14's PostgreSQL and Redis.
    const pvs = ['2Gi', '2Gi', '4Gi', '2Gi', '1Gi', '256Mi'].map(
      (size, i) =>
        `apiVersion: v1\nkind: PersistentVolume\nmetadata: { name: all-pv-${i} }\nspec: { capacity: { storage: ${size} }, accessModes: [ReadWriteOnce], hostPath: { path: /tmp/all-pv-${i} } }\n`,
    );
    kubectl(['--kubeconfig', env.KUBECONFIG ?? '', 'apply', '-f', '-'], pvs.join('---\n'));
  });
  after(() => {
    repo.server.close();
  });

  it('converges what a containerless cluster can hold, and names what it cannot and why', async () => {
    const r = await cli(['all', '--target', 'cluster'], { dir: ws, path: env.PATH ?? '' }, env);
    process.stdout.write(`${r.stdout.slice(r.stdout.indexOf('Recap'))}\n`); // the recap, for the record
    const summary = JSON.parse(
      readFileSync(join(ws, '.foundation', 'runs', 'latest', 'summary.json'), 'utf8'),
    ) as RunSummary;
    const outcomes = Object.fromEntries(summary.tasks.map((t) => [t.id, t.outcome]));
    assert.deepEqual(
      {
        '0-1': outcomes['0-1'],
        '0-2': outcomes['0-2'],
        '0-3': outcomes['0-3'],
        '0-9': outcomes['0-9'],
        '0-14': outcomes['0-14'],
      },
      { '0-1': 'changed', '0-2': 'changed', '0-3': 'changed', '0-9': 'changed', '0-14': 'changed' },
      r.stdout + r.stderr,
    );
    // The operator's pods are fake, so the Prometheus and Alertmanager it would create never appear: 0-4
    // fails saying exactly that, and what needs its Grafana and CRDs (0-5, 0-6, the demo) waits for it,
    // and so does the proof (0-13).
    const p = summary.tasks.find((t) => t.id === '0-4');
    assert.equal(p?.outcome, 'failed');
    assert.match(p?.reason ?? '', /statefulset\/prometheus-kube-prometheus-stack-prometheus: not found/);
    for (const id of ['0-5', '0-6', '0-10', '0-13']) {
      assert.equal(outcomes[id], 'blocked', id);
      assert.equal(summary.tasks.find((t) => t.id === id)?.rootCause, '0-4');
    }
    assert.equal(r.code, 4);
    assert.match(r.stdout, /0-4 failed:\n +E_NOT_CONVERGED: not converged/);
    const again = await cli(
      ['plan', '--target', 'cluster', '0-2', '0-3', '0-9'],
      { dir: ws, path: env.PATH ?? '' },
      env,
    );
    assert.equal(again.code, 0, `a plan right after changes nothing:\n${again.stdout}`);
  });

  it('foundation validate on the control plane: what it can hold is judged, what needs the UIs or pods says why', async () => {
    const { r, report, by } = await validateIn(
      ['--target', 'cluster', '--skip-perf'],
      { dir: ws, path: env.PATH ?? '' },
      env,
    );
    process.stdout.write(`${r.stdout}\n`); // the verdict, for the record (docs/validation.md)
    assert.equal(report.findings.length, CRITERIA.length);
    assert.equal(by('REQ-0.1/AC1')?.status, 'PASS');
    assert.match(by('REQ-0.1/AC1')?.evidence ?? '', /^the API server answers: Kubernetes v1\.35\./);
    // The demo was never deployed (0-10 waited for 0-4): a FAIL that says so and how to fix it.
    assert.equal(by('REQ-0.1/AC2')?.status, 'FAIL');
    assert.match(by('REQ-0.1/AC2')?.fix ?? '', /^foundation run 0-10/);
    // What needs an address this machine reaches (a port-forward on a real cluster): NOT MEASURED, saying which.
    assert.equal(by('REQ-0.3/AC7')?.status, 'NOT MEASURED');
    assert.match(by('REQ-0.3/AC7')?.evidence ?? '', /set DEMO_URL/);
    assert.match(by('REQ-0.1/M2')?.evidence ?? '', /set PROMETHEUS_URL/);
    assert.deepEqual(
      [by('REQ-0.1/M1')?.status, by('REQ-0.1/M1')?.byChoice],
      ['NOT MEASURED', true],
      'target cluster: not Foundation’s cluster to create',
    );
    assert.equal(by('REQ-0.4/AC1')?.status, 'FAIL', 'the last all left 0-4 failed');
    assert.equal(
      report.environment.kubernetes?.startsWith('v1.35.'),
      true,
      JSON.stringify(report.environment),
    );
    assert.deepEqual(
      [by('REQ-0.1/AC3')?.status, by('REQ-0.1/AC3')?.evidence],
      ['NOT MEASURED', 'the cluster is restarted only with --restart-cluster'],
    );
    assert.equal(r.code, 4);
  });

  it('--restart-cluster on a cluster Foundation does not own: never restarted, and the report says why', async () => {
    const { r, report, by } = await validateIn(
      ['--target', 'cluster', '--skip-perf', '--restart-cluster'],
      { dir: ws, path: env.PATH ?? '' },
      env,
    );
    assert.match(r.stdout, /^foundation validate: target cluster, --skip-perf, --restart-cluster$/m);
    assert.deepEqual(report.options, { skipPerf: true, restartBroker: false, restartCluster: true });
    assert.deepEqual(
      [by('REQ-0.1/AC3')?.status, by('REQ-0.1/AC3')?.byChoice, by('REQ-0.1/AC3')?.evidence],
      ['NOT MEASURED', true, 'target cluster: Foundation does not own the cluster, so never restarts it'],
    );
    assert.equal(by('REQ-0.1/AC1')?.status, 'PASS', 'the API server still answers: nothing was stopped');
  });
});
