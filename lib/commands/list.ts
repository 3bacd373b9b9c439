import { PHASE0 } from '../model/catalogue.js';
import { TARGETS, type Target, type Task } from '../model/task.js';

export interface ListRow {
  readonly id: string;
  readonly title: string;
  readonly deps: readonly string[];
  readonly targets: readonly Target[];
  readonly implemented: boolean;
}

/** Every Phase 0 step: the built tasks with their deps and targets, and the steps not built yet. Pure. */
export function listRows(tasks: readonly Task[]): ListRow[] {
  const rows: ListRow[] = tasks.map((t) => ({
    id: t.id,
    title: t.title,
    deps: t.deps,
    targets: t.targets ?? TARGETS,
    implemented: true,
  }));
  for (const step of PHASE0) {
    if (!tasks.some((t) => t.id === step.id)) {
      rows.push({ id: step.id, title: step.name, deps: [], targets: [], implemented: false });
    }
  }
  const key = (id: string): number[] => id.split('-').map(Number);
  return rows.sort((a, b) => {
    const [x, y] = [key(a.id), key(b.id)];
    return (x[0] ?? 0) - (y[0] ?? 0) || (x[1] ?? 0) - (y[1] ?? 0);
  });
}

export function formatList(rows: readonly ListRow[], target: Target): string {
  const w = (f: (r: ListRow) => string, min: number): number =>
    Math.max(min, ...rows.map((r) => f(r).length));
  const deps = (r: ListRow): string => (r.deps.length > 0 ? r.deps.join(',') : '-');
  const targets = (r: ListRow): string => (r.implemented ? r.targets.join(',') : 'not implemented yet');
  const [iw, tw, dw] = [w((r) => r.id, 2), w((r) => r.title, 5), w(deps, 4)];
  const line = (a: string, b: string, c: string, d: string): string =>
    `${a.padEnd(iw)}  ${b.padEnd(tw)}  ${c.padEnd(dw)}  ${d}`.trimEnd();
  const out = [line('id', 'title', 'deps', 'targets')];
  for (const r of rows) {
    const mark = r.implemented && !r.targets.includes(target) ? ` (skipped on ${target})` : '';
    out.push(line(r.id, r.title, deps(r), targets(r) + mark));
  }
  return `${out.join('\n')}\n`;
}
