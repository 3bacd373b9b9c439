import { closest, distance } from 'fastest-levenshtein';
import { FoundationError } from '../errors.js';
import { PHASE0 } from '../model/catalogue.js';
import type { Task } from '../model/task.js';

/**
 * Turn what the user typed (ids like `0-3`, or step names like `redpanda`) into task ids.
 * Unknown → E_UNKNOWN_TASK with "did you mean"; a Phase 0 step that is not built yet → E_NOT_IMPLEMENTED.
 */
export function resolveIds(inputs: readonly string[], tasks: readonly Task[]): string[] {
  const ids = new Set(tasks.map((t) => t.id));
  const out: string[] = [];
  for (const input of inputs) {
    const step = PHASE0.find((s) => s.id === input || s.name === input);
    const id = ids.has(input) ? input : step?.id;
    if (id !== undefined && ids.has(id)) {
      if (!out.includes(id)) out.push(id);
      continue;
    }
    if (step !== undefined) {
      throw new FoundationError(
        'E_NOT_IMPLEMENTED',
        `task ${step.id} (${step.name}) is not implemented yet`,
        `run \`foundation list\` to see the tasks that exist`,
      );
    }
    const names = [...new Set([...ids, ...PHASE0.flatMap((s) => [s.id, s.name])])];
    const guess = closest(input, names);
    const near = distance(input, guess) <= Math.max(2, Math.floor(input.length / 3));
    const built = ids.has(guess) || PHASE0.some((s) => s.name === guess && ids.has(s.id));
    const suggestion = near ? `. Did you mean ${guess}${built ? '' : ' (not implemented yet)'}?` : '';
    throw new FoundationError(
      'E_UNKNOWN_TASK',
      `unknown task "${input}"${suggestion}`,
      'run `foundation list` to see the task ids',
    );
  }
  return out;
}
