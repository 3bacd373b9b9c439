import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMermaid, formatTree, graphData } from '../../lib/commands/graph.js';
import { PHASE0 } from '../../lib/model/catalogue.js';
import { formatList, listRows } from '../../lib/commands/list.js';
import type { Outcome } from '../../lib/model/outcome.js';
import { buildSummary, exitCodeFor, formatRecap, formatStopped } from '../../lib/report/summary.js';
import { fixture, taskResult } from '../helpers/fixtures.js';

describe('exit codes', () => {
  const table: [string, 'run' | 'plan', Outcome[], number][] = [
    ['converged run', 'run', ['ok', 'changed', 'skipped'], 0],
    ['failed run', 'run', ['ok', 'failed', 'blocked'], 4],
    ['blocked run', 'run', ['ok', 'blocked'], 4],
    ['cancelled run', 'run', ['failed', 'cancelled'], 130],
    ['converged plan', 'plan', ['ok', 'skipped'], 0],
    ['drifted plan', 'plan', ['ok', 'would-change', 'pending-upstream'], 3],
    ['plan with a failing check', 'plan', ['would-change', 'failed'], 4],
  ];
  for (const [name, mode, outcomes, code] of table) {
    it(name, () => {
      assert.equal(
        exitCodeFor(
          mode,
          outcomes.map((o, i) => taskResult(`t${i}`, o)),
        ),
        code,
      );
    });
  }
});

describe('recap', () => {
  const summary = buildSummary({
    runId: 'r1',
    mode: 'run',
    target: 'k3d',
    startedAt: '2026-11-23T00:00:00.000Z',
    durationMs: 1500,
    runDir: '.foundation/runs/r1',
    tasks: [
      taskResult('0-1', 'changed', { durationMs: 1200 }),
      taskResult('0-2', 'failed', {
        reason: 'boom',
        error: { code: 'E_TASK_ERROR', message: 'boom' },
        hint: 'foundation run 0-2',
      }),
      taskResult('0-3', 'blocked', { reason: 'waits for 0-2, which failed', rootCause: '0-2' }),
    ],
  });

  it('lists every task with outcome and duration, then what needs attention and where the logs are', () => {
    const text = formatRecap(summary);
    assert.match(text, /0-1 +title 0-1 +✚ changed +1\.2 s/);
    assert.match(
      text,
      /0-2 failed:\n +E_TASK_ERROR: boom\n +fix: foundation run 0-2\n +log: \.foundation\/runs\/r1\/0-2\.log/,
    );
    assert.match(text, /0-3 blocked: waits for 0-2, which failed\n\n/);
    assert.doesNotMatch(text, /0-3\.log/, 'no log line for a task that never ran');
    assert.match(text, /1 changed, 1 failed, 1 blocked in 1\.5 s — exit 4\. Logs: \.foundation\/runs\/r1\//);
  });

  it('can order the slowest first', () => {
    const rows = formatRecap(summary, 'slowest').split('\n').slice(2, 5);
    assert.match(rows[0] ?? '', /^ {2}0-1/);
  });

  it('counts outcomes in the summary', () => {
    assert.deepEqual(summary.counts, { changed: 1, failed: 1, blocked: 1 });
    assert.equal(summary.exitCode, 4);
  });

  it('a cancelled run says which child processes it stopped, just above the totals', () => {
    const stopped = { waited: 1, killed: 1, graceMs: 5_000 };
    const text = formatRecap({ ...summary, stopped });
    assert.match(
      text,
      /\n\nStopped 2 child processes: 1 ended on SIGTERM, 1 killed after 5\.0 s\.\n\n1 changed/,
    );
    assert.equal(
      formatStopped({ waited: 1, killed: 0, graceMs: 5_000 }),
      'Stopped 1 child process: 1 ended on SIGTERM.',
    );
    assert.equal(
      formatStopped({ waited: 0, killed: 3, graceMs: 500 }),
      'Stopped 3 child processes: 3 killed after 0.5 s.',
    );
    assert.equal(formatStopped({ waited: 0, killed: 0, graceMs: 5_000 }), null);
    assert.doesNotMatch(
      formatRecap({ ...summary, stopped: { waited: 0, killed: 0, graceMs: 5_000 } }),
      /Stopped/,
    );
  });
});

describe('list and graph', () => {
  const tasks = [
    fixture('0-1').task,
    fixture('0-2', ['0-1']).task,
    fixture('0-3', ['0-2'], { extra: { targets: ['k3d', 'cluster'] } }).task,
    fixture('0-9', ['0-2']).task,
    fixture('0-10', ['0-3', '0-9']).task,
  ];

  it('lists built tasks with deps and targets, and the Phase 0 steps not built yet, in id order', () => {
    const text = formatList(listRows(tasks), 'compose');
    const ids = text
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(' ')[0]);
    assert.deepEqual(ids, [
      '0-1',
      '0-2',
      '0-3',
      '0-4',
      '0-5',
      '0-6',
      '0-7',
      '0-8',
      '0-9',
      '0-10',
      '0-11',
      '0-12',
      '0-13',
      '0-14',
    ]);
    assert.match(text, /0-3 +redpanda +fixture 0-3 +0-2 +k3d,cluster \(skipped on compose\)/);
    assert.match(text, /0-4 +prometheus +prometheus +- +not implemented yet/);
    assert.match(text, /^id +name +title +deps +targets$/m);
  });

  it('draws a text tree with every Phase 0 id once: under its last dependency, built or not', () => {
    const states = new Map<string, Outcome>([['0-1', 'ok']]);
    const text = formatTree(tasks, states);
    assert.equal(
      text.split('\n').slice(0, 6).join('\n'),
      [
        '0-1 fixture 0-1 [ok]',
        '└─ 0-2 fixture 0-2',
        '   ├─ 0-3 fixture 0-3',
        '   └─ 0-9 fixture 0-9',
        '      └─ 0-10 fixture 0-10  (also needs 0-3)',
        '0-4 prometheus [not built yet]',
      ].join('\n'),
    );
    const ids = [...text.matchAll(/^[│├└─ ]*(0-\d+) /gm)].map((m) => m[1]);
    assert.deepEqual([...ids].sort(), PHASE0.map((p) => p.id).sort(), 'each id, once');
  });

  it('gives the graph as data: every node once, an edge per dependency', () => {
    const { nodes, edges } = graphData(tasks, new Map([['0-2', 'failed']]));
    assert.equal(nodes.length, PHASE0.length);
    assert.deepEqual(
      nodes.find((n) => n.id === '0-2'),
      {
        id: '0-2',
        title: 'fixture 0-2',
        deps: ['0-1'],
        built: true,
        state: 'failed',
      },
    );
    assert.equal(nodes.find((n) => n.id === '0-5')?.built, false);
    assert.deepEqual(
      edges.filter((e) => e.to === '0-10'),
      [
        { from: '0-3', to: '0-10' },
        { from: '0-9', to: '0-10' },
      ],
    );
  });

  it('renders Mermaid with an edge per dependency', () => {
    const text = formatMermaid(tasks, new Map([['0-2', 'failed']]));
    assert.match(text, /^flowchart TD$/m);
    assert.match(text, /t0_3 --> t0_10/);
    assert.match(text, /t0_2\["0-2 fixture 0-2 \(failed\)"\]/);
    assert.match(text, /class t0_2 bad/);
    assert.equal(text.match(/-->/g)?.length, 5);
  });
});
