import { PHASE0 } from '../model/catalogue.js';
import { TARGETS, type Target, type TaskInfo } from '../model/task.js';
import { PLAIN, type Styler } from '../ui/style.js';
import { formatTable } from '../ui/table.js';

export interface ListRow {
  readonly id: string;
  /** The step's name, which `run`, `plan` and the Taskfile take too (`redpanda` for 0-3). */
  readonly name: string;
  readonly title: string;
  readonly deps: readonly string[];
  readonly targets: readonly Target[];
  readonly implemented: boolean;
}

/** Every Phase 0 step: the built tasks with their deps and targets, and the steps not built yet. Pure. */
export function listRows(tasks: readonly TaskInfo[]): ListRow[] {
  const nameOf = (id: string): string => PHASE0.find((step) => step.id === id)?.name ?? '';
  const rows: ListRow[] = tasks.map((t) => ({
    id: t.id,
    name: nameOf(t.id),
    title: t.title,
    deps: t.deps,
    targets: t.targets ?? TARGETS,
    implemented: true,
  }));
  for (const step of PHASE0) {
    if (!tasks.some((t) => t.id === step.id)) {
      rows.push({
        id: step.id,
        name: step.name,
        title: step.name,
        deps: [],
        targets: [],
        implemented: false,
      });
    }
  }
  const key = (id: string): number[] => id.split('-').map(Number);
  return rows.sort((a, b) => {
    const [x, y] = [key(a.id), key(b.id)];
    return (x[0] ?? 0) - (y[0] ?? 0) || (x[1] ?? 0) - (y[1] ?? 0);
  });
}

/** `foundation list` as text: an aligned table (however long a title), the header styled. Pure. */
export function formatList(rows: readonly ListRow[], target: Target, styler: Styler = PLAIN): string {
  const cells = rows.map((r) => [
    r.id,
    r.name || '-',
    r.title,
    r.deps.length > 0 ? r.deps.join(',') : '-',
    r.implemented
      ? `${r.targets.join(',')}${r.targets.includes(target) ? '' : ` (skipped on ${target})`}`
      : 'not implemented yet',
  ]);
  const table = formatTable([['id', 'name', 'title', 'deps', 'targets'], ...cells], {
    styler,
    style: (_column, _cell, index) => (index === 0 ? 'heading' : null),
  });
  return `${table.join('\n')}\n`;
}
