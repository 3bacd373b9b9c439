import { closest, distance } from 'fastest-levenshtein';
import { FoundationError } from '../errors.js';
import { PHASE0 } from '../model/catalogue.js';
import type { Task } from '../model/task.js';

/**
 * Turn what the user typed (ids like `0-3`, or step names like `redpanda`) into task ids.
 * Unknown → E_UNKNOWN_TASK with "did you mean"; a Phase 0 step that is not built yet → E_NOT_IMPLEMENTED.
 */
export function resolveIds(
  inputs: readonly string[],
  tasks: readonly Task[],
  /** The command the ids were given to, for the example in a hint. */
  command: 'run' | 'plan' = 'run',
): string[] {
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
    const known = (name: string): boolean => names.includes(name);
    const parts = input.split(',').map((p) => p.trim());
    if (parts.length > 1 && parts.every(known))
      throw new FoundationError(
        'E_UNKNOWN_TASK',
        `unknown task "${input}": task ids are separated by spaces, not commas`,
        `give each as its own argument: foundation ${command} ${parts.join(' ')}`,
      );
    const guess = nearest(input, names);
    const built = guess !== null && (ids.has(guess) || PHASE0.some((s) => s.name === guess && ids.has(s.id)));
    const suggestion =
      guess === null ? '' : `. Did you mean ${guess}${built ? '' : ' (not implemented yet)'}?`;
    throw new FoundationError(
      'E_UNKNOWN_TASK',
      input.trim() === '' ? 'an empty task id ("")' : `unknown task "${input}"${suggestion}`,
      'run `foundation list` to see the task ids',
    );
  }
  return out;
}

/**
 * The id or name a mistyped one most likely meant, or null: the same in another case (`DOCS`), a step
 * number without its phase (`12` → `0-12`), else the nearest by edit distance when near enough. Pure.
 */
export function nearest(input: string, names: readonly string[]): string | null {
  const typed = input.trim();
  if (typed === '') return null;
  const sameCase = names.find((n) => n.toLowerCase() === typed.toLowerCase());
  if (sameCase !== undefined) return sameCase;
  if (/^\d+$/.test(typed) && names.includes(`0-${Number(typed)}`)) return `0-${Number(typed)}`;
  const guess = closest(typed.toLowerCase(), [...names]);
  return distance(typed.toLowerCase(), guess) <= Math.max(2, Math.floor(typed.length / 3)) ? guess : null;
}
