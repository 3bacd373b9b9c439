import { execute, type ExecuteOptions } from '../../lib/graph/execute.js';
import { select } from '../../lib/graph/plan.js';
import type { Task } from '../../lib/model/task.js';
import { collector, fakeContext } from './fixtures.js';

/**
 * Run tasks through the real executor as `foundation all` would (mode run, target k3d, concurrency 4,
 * each task a fake context on its own signal, 1 ms between retries), `extra` overriding any of it: the
 * events it emitted and, once done, the results.
 */
export function runTasks(tasks: Task[], extra: Partial<ExecuteOptions> = {}) {
  const { events, emit } = collector();
  const results = execute({
    mode: 'run',
    selection: select(tasks, null, false),
    target: 'k3d',
    concurrency: 4,
    signal: new AbortController().signal,
    emit,
    contextFor: (_task, signal) => fakeContext({ signal }),
    retryDelayMs: () => 1,
    ...extra,
  });
  return { events, results };
}
