import { PHASE0 } from '../model/catalogue.js';
import type { Outcome } from '../model/outcome.js';
import type { TaskInfo } from '../model/task.js';

type States = ReadonlyMap<string, Outcome>;

/** One node of the graph as data: a task, or a Phase 0 step that is not built yet. */
export interface GraphNode {
  readonly id: string;
  readonly title: string;
  readonly deps: readonly string[];
  readonly built: boolean;
  /** Its outcome in the last run, when it took part. */
  readonly state: Outcome | null;
}

/** Every task, then every Phase 0 step not built yet; each id once. Pure. */
export function graphNodes(tasks: readonly TaskInfo[], states: States = new Map()): GraphNode[] {
  const nodes: GraphNode[] = tasks.map((t) => ({
    id: t.id,
    title: t.title,
    deps: t.deps,
    built: true,
    state: states.get(t.id) ?? null,
  }));
  for (const step of PHASE0)
    if (!nodes.some((n) => n.id === step.id))
      nodes.push({ id: step.id, title: step.name, deps: [], built: false, state: null });
  return nodes;
}

/** The graph as data (`graph --json`): nodes, and an edge from each dependency to its dependent. Pure. */
export function graphData(tasks: readonly TaskInfo[], states: States = new Map()) {
  const nodes = graphNodes(tasks, states);
  return { nodes, edges: nodes.flatMap((n) => n.deps.map((d) => ({ from: d, to: n.id }))) };
}

/**
 * The graph as a text tree, each id once: a task stands under the last of its dependencies (in graph
 * order), and says which others it needs. States come from the last run; steps not built are marked.
 */
export function formatTree(tasks: readonly TaskInfo[], states: States = new Map()): string {
  const nodes = graphNodes(tasks, states);
  const order = new Map(nodes.map((n, i) => [n.id, i]));
  const parent = (n: GraphNode): string | undefined =>
    [...n.deps].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)).at(-1);
  const label = (n: GraphNode): string => {
    const state = n.built ? (n.state === null ? '' : ` [${n.state}]`) : ' [not built yet]';
    const others = n.deps.filter((d) => d !== parent(n));
    return `${n.id} ${n.title}${state}${others.length > 0 ? `  (also needs ${others.join(', ')})` : ''}`;
  };
  const out: string[] = [];
  const walk = (n: GraphNode, prefix: string, last: boolean, root: boolean): void => {
    out.push(`${prefix}${root ? '' : last ? '└─ ' : '├─ '}${label(n)}`);
    const children = nodes.filter((c) => parent(c) === n.id);
    const next = root ? prefix : `${prefix}${last ? '   ' : '│  '}`;
    children.forEach((c, i) => {
      walk(c, next, i === children.length - 1, false);
    });
  };
  for (const root of nodes.filter((n) => parent(n) === undefined)) walk(root, '', true, true);
  return `${out.join('\n')}\n`;
}

const CLASS: Partial<Record<Outcome, string>> = { ok: 'ok', changed: 'ok', failed: 'bad', blocked: 'bad' };

/** The graph as a Mermaid flowchart (paste into Markdown); dependencies point at their dependents. */
export function formatMermaid(tasks: readonly TaskInfo[], states: States = new Map()): string {
  const node = (id: string): string => `t${id.replace(/[^A-Za-z0-9]/g, '_')}`;
  const { nodes, edges } = graphData(tasks, states);
  const out = ['flowchart TD'];
  for (const n of nodes) {
    const note = n.built ? (n.state === null ? '' : ` (${n.state})`) : ' (not built yet)';
    out.push(`  ${node(n.id)}["${n.id} ${n.title.replace(/"/g, "'")}${note}"]`);
  }
  for (const e of edges) out.push(`  ${node(e.from)} --> ${node(e.to)}`);
  const classed = nodes.filter((n) => n.state !== null && CLASS[n.state] !== undefined);
  if (classed.length > 0) {
    out.push('  classDef ok fill:#d4f7d4', '  classDef bad fill:#f7d4d4');
    for (const n of classed) out.push(`  class ${node(n.id)} ${CLASS[n.state ?? 'skipped'] ?? ''}`);
  }
  return `${out.join('\n')}\n`;
}
