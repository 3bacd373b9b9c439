// A warning is said once per task run: a check that warns (task 0-2 on a k3d cluster whose ports are
// open) warns again in the re-check after apply, and the run showed and recorded it twice.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runGraph } from '../../lib/commands/run-graph.js';
import { select } from '../../lib/graph/plan.js';
import { defineTask } from '../../lib/model/task.js';
import { testApp } from '../helpers/test-app.js';

describe('task warnings in a run', () => {
  it('the same warning from check and re-check is shown once; another one still shows', async () => {
    let applied = false;
    let checks = 0;
    const task = defineTask({
      id: 'w',
      title: 'warns on every check',
      deps: [],
      hint: '-',
      check(ctx) {
        checks++;
        ctx.log.warn('port 19092 is open');
        if (checks === 2) ctx.log.warn('a second thing');
        return Promise.resolve(applied ? { status: 'ok' } : { status: 'missing', reason: 'not yet' });
      },
      apply() {
        applied = true;
        return Promise.resolve();
      },
    });
    const writes: string[] = [];
    const ws = mkdtempSync(join(tmpdir(), 'run-warnings-'));
    const { summary } = await runGraph(testApp(ws, [task], writes), {
      mode: 'run',
      selection: select([task], null, false),
    });
    assert.equal(checks, 2, 'checked, applied, checked again');
    assert.equal(summary.tasks[0]?.outcome, 'changed');
    const shown = writes.join('');
    assert.equal(shown.split('port 19092 is open').length - 1, 1, shown);
    assert.equal(shown.split('a second thing').length - 1, 1, shown);
  });
});
