// What the task checks, the run store and the template show, turned into observations (pure).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TaskResult } from '../../lib/model/outcome.js';
import type { RunSummary } from '../../lib/report/summary.js';
import { runObservations, taskObservations } from '../../lib/validate/task-evidence.js';
import { templateObservations } from '../../lib/validate/template-evidence.js';
import { readTemplate } from '../../lib/adapters/template-files.js';
import { composeImages, environmentOf } from '../../lib/validate/environment.js';
import { topicObservations } from '../../lib/validate/topic-evidence.js';
import { parseTopicsFile } from '../../lib/kafka/topics-file.js';
import { memoryAdmin } from '../helpers/topic-admin.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';

const task = (id: string, outcome: TaskResult['outcome'], reason?: string): TaskResult => ({
  id,
  title: id,
  outcome,
  durationMs: 1,
  applies: 0,
  ...(reason ? { reason } : {}),
});
const run = (
  runId: string,
  startedAt: string,
  durationMs: number,
  exitCode: 0 | 4,
  tasks: TaskResult[],
): RunSummary => ({
  v: 1,
  runId,
  mode: 'run',
  target: 'k3d',
  startedAt,
  durationMs,
  exitCode,
  counts: tasks.reduce<Record<string, number>>(
    (c, t) => ({ ...c, [t.outcome]: (c[t.outcome] ?? 0) + 1 }),
    {},
  ),
  tasks,
  runDir: `.foundation/runs/${runId}`,
});

describe('validate evidence', () => {
  it('tasks: drift counted, 0-1 / 0-9 / the stack tasks judged by their checks', () => {
    const obs = taskObservations(
      [
        task('0-1', 'ok'),
        task('0-2', 'skipped'),
        task('0-7', 'would-change', 'drift: loki'),
        task('0-9', 'ok'),
      ],
      'compose',
    );
    assert.deepEqual(obs['REQ-0.4/M2'] && { ...obs['REQ-0.4/M2'], how: '' }, {
      kind: 'value',
      value: 1,
      unit: 'tasks',
      how: '',
      fix: 'foundation plan, then foundation all (0-7)',
    });
    assert.equal(obs['REQ-0.7/AC2']?.kind === 'fact' && obs['REQ-0.7/AC2'].holds, true);
    const dashboards = obs['REQ-0.3/AC2'];
    assert.ok(
      dashboards?.kind === 'fact' &&
        !dashboards.holds &&
        /0-7 would-change \(drift: loki\)/.test(dashboards.detail),
    );
  });

  it('runs: creation time from the first all to the first converged one; incremental and one-command facts', () => {
    const all = ['0-1', '0-2', '0-3'];
    const obs = runObservations([
      run(
        'r1',
        '2026-11-25T10:00:00.000Z',
        60_000,
        4,
        all.map((id) => task(id, id === '0-3' ? 'failed' : 'changed')),
      ),
      run(
        'r2',
        '2026-11-25T10:05:00.000Z',
        30_000,
        0,
        all.map((id) => task(id, id === '0-3' ? 'changed' : 'ok')),
      ),
      run(
        'r3',
        '2026-11-25T11:00:00.000Z',
        2_000,
        0,
        all.map((id) => task(id, id === '0-1' ? 'changed' : 'ok')),
      ),
      run('one', '2026-11-25T11:10:00.000Z', 500, 0, [task('0-1', 'ok')]),
    ]);
    const m1 = obs['REQ-0.4/M1'];
    assert.ok(m1?.kind === 'value');
    assert.equal(m1.value, 5 * 60_000 + 30_000, 'r1 start → r2 end');
    const ac3 = obs['REQ-0.4/AC3'];
    assert.ok(
      ac3?.kind === 'fact' && ac3.holds && /r3 applied 1 of 3 tasks and left 2 untouched/.test(ac3.detail),
    );
    assert.ok(obs['REQ-0.4/AC1']?.kind === 'fact' && obs['REQ-0.4/AC1'].holds, 'the last all (r3) converged');
    assert.deepEqual(runObservations([])['REQ-0.4/M1'], {
      kind: 'absent',
      reason: 'no `foundation all` run is recorded in this workspace',
    });
    const never = runObservations([
      { ...run('r1', '2026-11-25T10:00:00.000Z', 1, 4, [task('0-1', 'failed')]), command: 'all' },
    ]);
    assert.equal(never['REQ-0.4/M1']?.kind, 'error');
  });

  it('runs: the build time starts at an all that built from scratch and ends before 0-13’s measuring', () => {
    const all = ['0-1', '0-2', '0-3'];
    const allRun = (id: string, at: string, ms: number, tasks: TaskResult[], target = 'k3d') =>
      ({ ...run(id, at, ms, 0, tasks), command: 'all', target }) as RunSummary;
    const m1 = (runs: RunSummary[]) => runObservations(runs)['REQ-0.4/M1'];
    const inPlace = allRun(
      'r1',
      '2026-11-25T10:00:00.000Z',
      25_000,
      all.map((id) => task(id, 'ok')),
    );
    // The only recorded all found everything in place (built before this record): it times no build.
    assert.equal(m1([inPlace])?.kind, 'absent');
    assert.match(JSON.stringify(m1([inPlace])), /found it mostly in place/);
    assert.equal(runObservations([inPlace])['REQ-0.7/AC1']?.kind, 'absent');
    // Nor does an all that changed one task of three after it: 20 s are not the platform's creation.
    const oneTask = all.map((id) => task(id, id === '0-3' ? 'changed' : 'ok'));
    assert.equal(m1([inPlace, allRun('r2', '2026-11-25T11:00:00.000Z', 20_000, oneTask)])?.kind, 'absent');
    // Compose: the stack brought up is a build from scratch; 0-13's 200 s of measuring are not counted.
    const stack = [
      ...all.map((id) => task(id, 'ok')),
      task('0-7', 'changed'),
      { ...task('0-13', 'changed'), durationMs: 200_000 },
    ];
    const built = m1([allRun('c1', '2026-11-25T10:00:00.000Z', 600_000, stack, 'compose')]);
    assert.ok(built?.kind === 'value' && built.value === 400_000, JSON.stringify(built));
    // A first run blocked everywhere (Docker stopped) built nothing: the clock starts at the next.
    const blocked = allRun(
      'b1',
      '2026-11-01T10:00:00.000Z',
      1_000,
      all.map((id) => task(id, 'blocked')),
    );
    const next = allRun(
      'b2',
      '2026-11-20T10:00:00.000Z',
      60_000,
      all.map((id) => task(id, 'changed')),
    );
    const span = m1([blocked, next]);
    assert.ok(span?.kind === 'value' && span.value === 60_000);
  });

  it('runs: only what `foundation all` made is evidence of it, not `run <ids>` however many tasks it ran', () => {
    const at = '2026-11-25T10:00:00.000Z';
    const tasks = ['0-1', '0-2'].map((id) => task(id, 'ok'));
    // A workspace where only `foundation run 0-1` ran: no `all` to judge (it was reported as "the last all").
    const onlyRun = runObservations([{ ...run('r1', at, 1, 0, [task('0-1', 'ok')]), command: 'run' }]);
    assert.equal(onlyRun['REQ-0.7/AC3']?.kind, 'absent');
    assert.equal(onlyRun['REQ-0.4/M1']?.kind, 'absent');
    // `run 0-1 0-2` after an `all` with the same tasks: the `all` is the last one.
    const obs = runObservations([
      { ...run('a1', at, 1, 0, tasks), command: 'all' },
      {
        ...run('r2', '2026-11-25T11:00:00.000Z', 1, 4, [task('0-1', 'ok'), task('0-2', 'failed')]),
        command: 'run',
      },
    ]);
    const ac3 = obs['REQ-0.7/AC3'];
    assert.ok(ac3?.kind === 'fact' && ac3.holds && ac3.detail.startsWith('the last foundation all (a1)'));
    // A summary from before the command was recorded: one task alone is no `all`.
    assert.equal(runObservations([run('old', at, 1, 0, [task('0-1', 'ok')])])['REQ-0.7/AC3']?.kind, 'absent');
  });

  it('template: the real template has metrics, probes, JSON logs, a Dockerfile, manifests and tests', async () => {
    const obs = await templateObservations({
      template: () => readTemplate(ROOT),
      writeTree: () => Promise.resolve(),
    });
    for (const id of ['REQ-0.8/AC2', 'REQ-0.8/AC3', 'REQ-0.8/AC4']) {
      const o = obs[id];
      assert.ok(o?.kind === 'fact' && o.holds, `${id}: ${JSON.stringify(o)}`);
    }
    const ac1 = obs['REQ-0.8/AC1'];
    assert.ok(ac1?.kind === 'value' && ac1.unit === 'ms' && ac1.value >= 0);
  });

  it('environment: tools (with the engine), chart pins and the Compose images of the package', () => {
    const images = composeImages(readFileSync(join(ROOT, 'compose', 'docker-compose.infra.yml'), 'utf8'));
    assert.ok(
      images.includes('grafana/loki:3.7.6') && images.includes('redpandadata/redpanda:v26.1.14'),
      images.join(),
    );
    const env = environmentOf({
      base: { node: '24.21.0' },
      tools: [
        { name: 'docker', found: true, version: '20.10.24', daemon: null },
        { name: 'k3d', found: false, version: null },
      ],
      releases: [
        {
          release: 'loki',
          task: '0-5',
          namespace: 'infra',
          repo: 'grafana-community',
          url: 'oci://ghcr.io/grafana-community/helm-charts',
          chart: 'loki',
          version: '18.11.0',
          values: 'v',
          timeout: '8m',
          workloads: [],
        },
      ],
      images: ['grafana/loki:3.7.6'],
    });
    assert.deepEqual(env, {
      node: '24.21.0',
      docker: '20.10.24 (engine not reachable)',
      k3d: 'not found',
      charts: 'loki 18.11.0',
      'compose images': 'grafana/loki:3.7.6',
    });
  });
});

describe('validate evidence: topic retention read back from the broker', () => {
  const file = join('k8s', 'redpanda', 'topics.yaml');
  const declared = parseTopicsFile(readFileSync(join(ROOT, file), 'utf8'), file);
  const broker = () => {
    const admin = memoryAdmin();
    return { admin, api: { connect: () => Promise.resolve(admin) } };
  };

  it('as declared → PASS listing each topic’s retention; a changed one → FAIL naming it', async () => {
    const { admin, api } = broker();
    for (const t of declared) await admin.create(t);
    const ok = (await topicObservations(api, ['b:1'], declared))['REQ-0.2/AC4'];
    assert.ok(ok?.kind === 'fact' && ok.holds, JSON.stringify(ok));
    assert.match(ok.detail, /market-data\.trades 3 d/);
    assert.match(ok.detail, /orders\.placed 7 d/);
    await admin.setConfig('orders.placed', { 'retention.ms': '1000' });
    const bad = (await topicObservations(api, ['b:1'], declared))['REQ-0.2/AC4'];
    assert.ok(bad?.kind === 'fact' && !bad.holds);
    assert.equal(bad.detail, 'orders.placed: retention.ms 1000, declared 604800000');
  });

  it('a broker that refuses → an error with the fix, not a crash', async () => {
    const api = { connect: () => Promise.reject(new Error('ECONNREFUSED')) };
    const obs = (await topicObservations(api, ['b:1'], declared))['REQ-0.2/AC4'];
    assert.ok(obs?.kind === 'error');
    assert.match(obs.reason, /the broker at b:1: ECONNREFUSED/);
    assert.equal(obs.fix, 'foundation run 0-3');
  });
});
