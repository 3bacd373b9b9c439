// How many times apply ran, as summary.json records it: also when the task then failed, timed out or was
// cancelled (an apply that threw may have changed things first: 0-1 writes .env, then a download fails).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execute } from '../../lib/graph/execute.js';
import { select } from '../../lib/graph/plan.js';
import { defineTask, type Task } from '../../lib/model/task.js';
import { collector, fakeContext, fixture } from '../helpers/fixtures.js';

async function runAll(tasks: Task[]) {
  const { emit } = collector();
  return execute({
    mode: 'run',
    selection: select(tasks, null, false),
    target: 'k3d',
    concurrency: 4,
    signal: new AbortController().signal,
    emit,
    contextFor: (_task, signal) => fakeContext({ signal }),
    retryDelayMs: () => 1,
  });
}

describe('run-task: applies recorded whatever the ending', () => {
  it('a failed apply counts once; its blocked dependent applied nothing', async () => {
    const a = fixture('a', [], { applyThrows: new Error('boom') });
    const b = fixture('b', ['a']);
    const results = await runAll([a.task, b.task]);
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
    const [result] = await runAll([stubborn]);
    assert.deepEqual([result?.outcome, result?.applies], ['failed', 3]);
  });

  it('an apply cut by the time limit counts as having run', async () => {
    const slow = fixture('slow', [], { applyMs: 5_000, extra: { timeoutMs: 100 } });
    const [result] = await runAll([slow.task]);
    assert.deepEqual(
      [result?.outcome, result?.error?.code, result?.applies],
      ['failed', 'E_TASK_TIMEOUT', 1],
    );
  });
});
