import { FoundationError } from '../errors.js';
import type { Task } from '../model/task.js';

/** What the graph's structure needs of a task. */
type Node = Pick<Task, 'id' | 'deps'>;

/** The cycle's path, first node repeated at the end (`0-3 -> 0-9 -> 0-3`), or null. Pure. */
export function findCycle(tasks: readonly Node[]): string[] | null {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of byId.get(id)?.deps ?? []) {
      if (!byId.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const task of tasks) {
    const cycle = visit(task.id);
    if (cycle) return cycle;
  }
  return null;
}

/** Every structural problem of a task list: duplicate ids, unknown dependencies, a cycle. Pure. */
export function graphProblems(tasks: readonly Node[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const task of tasks) {
    if (seen.has(task.id)) problems.push(`duplicate task id ${task.id}`);
    seen.add(task.id);
  }
  for (const task of tasks) {
    for (const dep of task.deps) {
      if (!seen.has(dep)) problems.push(`${task.id} depends on ${dep}, which is not a task`);
      if (dep === task.id) problems.push(`${task.id} depends on itself`);
    }
  }
  const cycle = findCycle(tasks);
  if (cycle && cycle.length > 2) problems.push(`dependency cycle: ${cycle.join(' -> ')}`);
  return problems;
}

/** Throws E_GRAPH_INVALID naming every problem; returns the tasks unchanged when the graph is sound. */
export function validateGraph<T extends Node>(tasks: readonly T[]): readonly T[] {
  const problems = graphProblems(tasks);
  if (problems.length > 0) {
    throw new FoundationError(
      'E_GRAPH_INVALID',
      `the task graph is invalid:\n  - ${problems.join('\n  - ')}`,
      'fix the deps in tasks/*.ts (tasks/index.ts lists the tasks)',
    );
  }
  return tasks;
}

/** Dependencies before dependents; among independent tasks, registry order is kept. Assumes a valid graph. */
export function topoOrder(tasks: readonly Task[]): Task[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const placed = new Set<string>();
  const order: Task[] = [];
  const place = (task: Task): void => {
    if (placed.has(task.id)) return;
    placed.add(task.id);
    for (const dep of task.deps) {
      const d = byId.get(dep);
      if (d) place(d);
    }
    order.push(task);
  };
  tasks.forEach(place);
  return order;
}

/** The ids plus everything they depend on, transitively. */
export function dependencyClosure(tasks: readonly Task[], ids: Iterable<string>): Set<string> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const out = new Set<string>();
  const add = (id: string): void => {
    if (out.has(id)) return;
    out.add(id);
    byId.get(id)?.deps.forEach(add);
  };
  [...ids].forEach(add);
  return out;
}

/** Everything that depends on `id`, transitively. */
export function dependents(tasks: readonly Task[], id: string): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of tasks) {
      if (!out.has(t.id) && t.deps.some((d) => d === id || out.has(d))) {
        out.add(t.id);
        grew = true;
      }
    }
  }
  return out;
}

export interface Selection {
  /** Tasks to run, in topological order. */
  readonly tasks: readonly Task[];
  /** Direct dependencies outside the selection: checked only, never applied (`run` without --with-deps). */
  readonly gates: readonly Task[];
}

/** What a command runs: `ids` (all tasks when null), with their dependencies when `withDeps`. Pure. */
export function select(tasks: readonly Task[], ids: readonly string[] | null, withDeps: boolean): Selection {
  if (ids === null) return { tasks: topoOrder(tasks), gates: [] };
  const chosen = withDeps ? dependencyClosure(tasks, ids) : new Set(ids);
  const selected = topoOrder(tasks).filter((t) => chosen.has(t.id));
  const gateIds = new Set(selected.flatMap((t) => t.deps).filter((d) => !chosen.has(d)));
  return { tasks: selected, gates: topoOrder(tasks).filter((t) => gateIds.has(t.id)) };
}
