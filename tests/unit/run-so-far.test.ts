// Task 0-13 inside `foundation all` judges that run too: its store's runs include the run so far, built
// from the tasks ended until then (the run's summary.json is written only at its end).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSoFar, withRunSoFar } from '../../lib/commands/run-so-far.js';
import type { RunEvent } from '../../lib/report/events.js';
import { fakeContext } from '../helpers/fixtures.js';
import { recordedRun } from '../helpers/run-summary.js';

describe('the run so far', () => {
  const fields = {
    runId: 'now',
    mode: 'run' as const,
    command: 'all' as const,
    target: 'k3d' as const,
    startedAt: '2026-11-29T10:00:00.000Z',
    runDir: '.foundation/runs/now',
  };
  const ended = (id: string, outcome: string): RunEvent =>
    ({
      v: 1,
      runId: 'now',
      ts: 't',
      type: 'task:end',
      id,
      title: id,
      outcome,
      durationMs: 5,
      applies: 1,
    }) as RunEvent;

  it('its ended tasks, as a summary of this run; other events ignored', () => {
    let clock = 1_000;
    const run = runSoFar(fields, 0, () => clock);
    run.sink(ended('0-2', 'changed'));
    run.sink({
      v: 1,
      runId: 'now',
      ts: 't',
      type: 'task:phase',
      id: '0-3',
      phase: 'apply',
      attempt: 1,
    });
    clock = 2_500;
    const s = run.summary();
    assert.deepEqual(
      s.tasks.map((t) => [t.id, t.outcome]),
      [['0-2', 'changed']],
    );
    assert.equal(s.command, 'all');
    assert.equal(s.durationMs, 2_500);
  });

  it('a task’s store sees the recorded runs and this one, in place of a record of the same id', () => {
    const run = runSoFar(fields, 0, () => 1);
    run.sink(ended('0-1', 'ok'));
    const recorded = [
      recordedRun('old', '2026-11-28T10:00:00Z', { '0-1': 'changed' }),
      recordedRun('now', '2026-11-29T10:00:00Z', { '0-1': 'failed' }), // a record of this run, if any
    ];
    const base = fakeContext();
    const ctx = withRunSoFar(
      {
        ...base,
        validation: { ...base.validation, store: { ...base.validation.store, runs: () => recorded } },
      },
      run.summary,
    );
    assert.deepEqual(
      ctx.validation.store.runs().map((r) => [r.runId, r.tasks[0]?.outcome]),
      [
        ['old', 'changed'],
        ['now', 'ok'],
      ],
    );
  });
});
