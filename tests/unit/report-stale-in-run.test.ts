// Task 0-13 inside `foundation all`: a dependency that changed earlier in the same run makes the last
// report stale, though no run recorded since says so (the run's summary.json is written at its end). Its
// check reads the run so far (lib/commands/run-so-far.ts), through runGraph as the CLI runs it.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runGraph } from '../../lib/commands/run-graph.js';
import { select } from '../../lib/graph/plan.js';
import { defineTask } from '../../lib/model/task.js';
import { REPORT_SCHEMA_VERSION } from '../../lib/validate/report.js';
import validate from '../../tasks/13-validate.js';
import { fakeContext, fixture } from '../helpers/fixtures.js';
import { recordedRun } from '../helpers/run-summary.js';
import { testApp } from '../helpers/test-app.js';

const report = (generatedAt: string): string =>
  JSON.stringify({
    v: REPORT_SCHEMA_VERSION,
    generatedAt,
    target: 'k3d',
    verdict: 'INCOMPLETE',
    counts: { PASS: 40, FAIL: 0, 'NOT MEASURED': 18 },
    findings: [],
  });

/** `all` over a dependency and 0-13 (its real check; its apply writes a new report), after yesterday's report. */
async function runAll(depInPlace: boolean) {
  let latest = report('2026-11-28T10:00:00.000Z');
  let measured = 0;
  const dep = fixture('0-7', [], { converged: depInPlace });
  const judge = defineTask({
    ...validate,
    deps: ['0-7'],
    apply() {
      measured++;
      latest = report(new Date().toISOString());
      return Promise.resolve();
    },
  });
  const ws = mkdtempSync(join(tmpdir(), 'stale-in-run-'));
  const app = testApp(ws, [dep.task, judge], [], {
    makeContext: (signal, log) => {
      const base = fakeContext({ signal, log });
      const store = {
        ...base.validation.store,
        latest: () => latest,
        // yesterday's `all`, before the report: it changed things, and the report came after it
        runs: () => [recordedRun('yesterday', '2026-11-28T09:00:00.000Z', { '0-7': 'changed' })],
      };
      return { ...base, validation: { ...base.validation, store } };
    },
  });
  const { summary } = await runGraph(app, {
    mode: 'run',
    command: 'all',
    selection: select([dep.task, judge], null, false),
  });
  return { summary, measured };
}

describe('0-13 in a run whose dependency changed', () => {
  it('measures again, saying which task of this run made the report stale', async () => {
    const { summary, measured } = await runAll(false);
    const validation = summary.tasks.find((t) => t.id === '0-13');
    assert.equal(measured, 1);
    assert.equal(validation?.outcome, 'changed');
    assert.match(
      validation?.reason ?? '',
      new RegExp(`^drift: run ${summary.runId} changed 0-7 after the last report \\(2026-11-28T10:00`),
    );
  });

  it('nothing changed in this run: the report stands, not measured again', async () => {
    const { summary, measured } = await runAll(true);
    assert.equal(measured, 0);
    assert.equal(summary.tasks.find((t) => t.id === '0-13')?.outcome, 'ok');
  });
});
