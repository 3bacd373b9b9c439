// A task whose check judges its dependencies' work through records written at the run's end (task 0-13's
// report): it applies again when a dependency changed in the same run, though its check says ok.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import validate from '../../tasks/13-validate.js';
import { fixture } from '../helpers/fixtures.js';
import { runTasks } from '../helpers/run-tasks.js';

describe('reapplyAfterChangedDeps', () => {
  const report = (deps: string[]) =>
    fixture('report', deps, { converged: true, extra: { reapplyAfterChangedDeps: true } });

  it('a dependency changed in this run: applied again, the reason says which', async () => {
    const dep = fixture('dep');
    const judged = report(['dep']);
    const results = await runTasks([dep.task, judged.task]).results;
    assert.deepEqual(
      results.map((r) => [r.id, r.outcome, r.applies]),
      [
        ['dep', 'changed', 1],
        ['report', 'changed', 1],
      ],
    );
    assert.equal(results[1]?.reason, 'dep changed in this run: measured again');
  });

  it('dependencies already in place: the check stands, nothing applied; plan never applies', async () => {
    const dep = fixture('dep', [], { converged: true });
    const judged = report(['dep']);
    const results = await runTasks([dep.task, judged.task]).results;
    assert.deepEqual(
      results.map((r) => [r.id, r.outcome]),
      [
        ['dep', 'ok'],
        ['report', 'ok'],
      ],
    );
    assert.equal(judged.applies, 0);
    const fresh = fixture('dep');
    const planned = report(['dep']);
    await runTasks([fresh.task, planned.task], { mode: 'plan' }).results;
    assert.equal(planned.applies, 0);
  });

  it('task 0-13 is such a task', () => {
    assert.equal(validate.reapplyAfterChangedDeps, true);
  });
});
