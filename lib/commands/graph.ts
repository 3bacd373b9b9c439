import type { Outcome } from '../model/outcome.js';
import type { Task } from '../model/task.js';

type States = ReadonlyMap<string, Outcome>;

/**
 * The graph as a text tree: each root (no deps) with its dependents below it. A task with several deps
 * appears under each; after the first time its subtree is not repeated. States come from the last run.
 */
export function formatTree(tasks: readonly Task[], states: States = new Map()): string {
  const shown = new Set<string>();
  const out: string[] = [];
  const label = (t: Task): string => {
    const state = states.get(t.id);
    const deps = t.deps.length > 1 ? `  (needs ${t.deps.join(', ')})` : '';
    return `${t.id} ${t.title}${state ? ` [${state}]` : ''}${deps}`;
  };
  const walk = (task: Task, prefix: string, last: boolean, root: boolean): void => {
    const branch = root ? '' : last ? '└─ ' : '├─ ';
    const repeat = shown.has(task.id);
    out.push(`${prefix}${branch}${label(task)}${repeat ? ' ↑' : ''}`);
    if (repeat) return;
    shown.add(task.id);
    const children = tasks.filter((t) => t.deps.includes(task.id));
    const next = root ? prefix : `${prefix}${last ? '   ' : '│  '}`;
    children.forEach((c, i) => {
      walk(c, next, i === children.length - 1, false);
    });
  };
  for (const root of tasks.filter((t) => t.deps.length === 0)) walk(root, '', true, true);
  return `${out.join('\n')}\n`;
}

const CLASS: Partial<Record<Outcome, string>> = { ok: 'ok', changed: 'ok', failed: 'bad', blocked: 'bad' };

/** The graph as a Mermaid flowchart (paste into Markdown); dependencies point at their dependents. */
export function formatMermaid(tasks: readonly Task[], states: States = new Map()): string {
  const node = (id: string): string => `t${id.replace(/[^A-Za-z0-9]/g, '_')}`;
  const out = ['flowchart TD'];
  for (const t of tasks) {
    const state = states.get(t.id);
    out.push(`  ${node(t.id)}["${t.id} ${t.title.replace(/"/g, "'")}${state ? ` (${state})` : ''}"]`);
  }
  for (const t of tasks) for (const d of t.deps) out.push(`  ${node(d)} --> ${node(t.id)}`);
  const classed = tasks.filter((t) => CLASS[states.get(t.id) ?? 'skipped']);
  if (classed.length > 0) {
    out.push('  classDef ok fill:#d4f7d4', '  classDef bad fill:#f7d4d4');
    for (const t of classed) out.push(`  class ${node(t.id)} ${CLASS[states.get(t.id) ?? 'skipped'] ?? ''}`);
  }
  return `${out.join('\n')}\n`;
}
