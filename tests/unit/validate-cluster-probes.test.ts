// The probes that restart or read what a run built, over fakes: the cluster (recorded creation, restart on
// request), the broker's persistence across a restart, REQ-0.5 from the CI workflow as configured.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectRef } from '../../lib/model/context.js';
import { recordedRun as run } from '../helpers/run-summary.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ciWorkflowObservations } from '../../lib/validate/ci-workflow-evidence.js';
import { ROOT } from '../helpers/cli.js';
import { clusterPath } from '../../lib/k8s/cluster-change.js';
import type { RunSummary } from '../../lib/report/summary.js';
import { clusterObservations, recordedCluster } from '../../lib/validate/cluster-evidence.js';
import { persistenceObservations } from '../../lib/validate/persistence-evidence.js';
import { fakeContext } from '../helpers/fixtures.js';
import { fakeCompose, fakeK3d } from '../helpers/fake-ports.js';

const noSleep = () => Promise.resolve();

describe('the cluster: recorded creation, restart on request', () => {
  const created =
    (from: string | null) =>
    (r: RunSummary): RunSummary => ({
      ...r,
      command: 'all',
      tasks: r.tasks.map((t) =>
        t.id === '0-2'
          ? { ...t, changes: [{ path: clusterPath('foundation'), want: 'running', have: from }] }
          : t,
      ),
    });
  const all = (r: RunSummary): RunSummary => ({ ...r, command: 'all' });

  it('start-up from task 0-2’s creation in the run store; two creations prove a recreate', () => {
    const runs = [
      created(null)(run('r1', '2026-11-25T10:00:00Z', { '0-1': 'changed', '0-2': 'changed' })),
      all(run('r2', '2026-11-25T11:00:00Z', { '0-1': 'ok', '0-2': 'ok' })),
      created(null)(run('r3', '2026-11-25T12:00:00Z', { '0-1': 'ok', '0-2': 'changed' })),
    ];
    const obs = recordedCluster(runs);
    assert.ok(obs['REQ-0.1/M1']?.kind === 'value' && obs['REQ-0.1/M1'].value === 90_000);
    assert.match(obs['REQ-0.1/M1'].how, /run r3/);
    assert.ok(obs['REQ-0.1/AC4']?.kind === 'fact' && obs['REQ-0.1/AC4'].holds);
    assert.ok(recordedCluster(runs.slice(0, 2))['REQ-0.4/AC2']?.kind === 'absent');
  });

  it('a start of a stopped cluster, or namespaces re-applied, is not a creation', () => {
    const runs = [
      created(null)(run('r1', '2026-11-25T10:00:00Z', { '0-2': 'changed' })),
      created('stopped')(run('r2', '2026-11-25T11:00:00Z', { '0-2': 'changed' })),
      all(run('r3', '2026-11-25T12:00:00Z', { '0-2': 'changed' })), // a namespace quota re-applied
    ];
    const obs = recordedCluster(runs);
    assert.equal(obs['REQ-0.1/AC4']?.kind, 'absent');
    assert.ok(obs['REQ-0.1/M1']?.kind === 'value' && /run r1/.test(obs['REQ-0.1/M1'].how));
  });

  it('a recreate is proven by a foundation all converging after it, not by the recreating run alone', () => {
    const first = created(null)(run('r1', '2026-11-25T10:00:00Z', { '0-1': 'changed', '0-2': 'changed' }));
    const again = created(null)(
      run('r2', '2026-11-25T11:00:00Z', { '0-1': 'ok', '0-2': 'changed', '0-3': 'failed' }),
    );
    const ac4 = recordedCluster([first, again])['REQ-0.1/AC4'];
    assert.ok(ac4?.kind === 'fact' && !ac4.holds);
    assert.match(ac4.detail, /no foundation all has converged since r2/);
    // The next all converges: proven, whatever the recreating run did.
    const later = all(run('r3', '2026-11-25T12:00:00Z', { '0-1': 'ok', '0-2': 'ok', '0-3': 'changed' }));
    const fixed = recordedCluster([first, again, later])['REQ-0.1/AC4'];
    assert.ok(fixed?.kind === 'fact' && fixed.holds && /foundation all r3 converged/.test(fixed.detail));
    // `foundation run 0-2` after a delete: a creation, but no all has converged since.
    const byRun = { ...again, command: 'run' as const, tasks: again.tasks.filter((t) => t.id === '0-2') };
    const alone = recordedCluster([first, byRun])['REQ-0.1/AC4'];
    assert.ok(alone?.kind === 'fact' && !alone.holds);
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
