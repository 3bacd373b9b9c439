// How many times apply ran, as summary.json records it: also when the task then failed, timed out or was
// cancelled (an apply that threw may have changed things first: 0-1 writes .env, then a download fails).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineTask } from '../../lib/model/task.js';
import { fixture } from '../helpers/fixtures.js';
import { runTasks } from '../helpers/run-tasks.js';

describe('run-task: applies recorded whatever the ending', () => {
  it('a failed apply counts once; its blocked dependent applied nothing', async () => {
    const a = fixture('a', [], { applyThrows: new Error('boom') });
    const b = fixture('b', ['a']);
    const results = await runTasks([a.task, b.task]).results;
    assert.deepEqual(
      results.map((r) => [r.id, r.outcome, r.applies]),
      [
        ['a', 'failed', 1],
        ['b', 'blocked', 0],
      ],
    );
  });

  it('an apply that fails on every retry counts each attempt', async () => {
    const stubborn = defineTask({
      id: 'stubborn',
      title: 'stubborn',
      deps: [],
      hint: '-',
      retries: 2,
      check: () => Promise.resolve({ status: 'missing', reason: 'x' }),
      apply: () => Promise.reject(new Error('still no')),
    });
    const [result] = await runTasks([stubborn]).results;
    assert.deepEqual([result?.outcome, result?.applies], ['failed', 3]);
  });

  it('an apply cut by the time limit counts as having run', async () => {
    const slow = fixture('slow', [], { applyMs: 5_000, extra: { timeoutMs: 100 } });
    const [result] = await runTasks([slow.task]).results;
    assert.deepEqual(
      [result?.outcome, result?.error?.code, result?.applies],
      ['failed', 'E_TASK_TIMEOUT', 1],
    );
  });
});
