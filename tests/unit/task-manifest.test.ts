import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Task, TaskInfo } from '../../lib/model/task.js';
import { TASKS } from '../../tasks/index.js';
import { TASK_MANIFEST } from '../../tasks/manifest.js';

/** What list and graph show of a task, as the manifest writes it (no `targets` key for "every target"). */
const infoOf = (t: Task): TaskInfo => ({
  id: t.id,
  title: t.title,
  deps: [...t.deps],
  ...(t.targets === undefined ? {} : { targets: [...t.targets] }),
});

describe('tasks/manifest.ts (what list and graph show without loading the tasks)', () => {
  it('says exactly what the task modules say, in registry order', () => {
    const expected = TASKS.map(infoOf);
    const actual = TASK_MANIFEST.map((t) => ({ ...t, deps: [...t.deps] }));
    assert.deepEqual(
      actual,
      expected,
      `tasks/manifest.ts is out of step with tasks/index.ts; its entries should be:\n${expected
        .map((e) => `  ${JSON.stringify(e)},`)
        .join('\n')}`,
    );
  });
});
