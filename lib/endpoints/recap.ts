import type { TaskResult } from '../model/outcome.js';
import type { Target } from '../model/task.js';
import { PLAIN, type Styler } from '../ui/style.js';
import { formatTable } from '../ui/table.js';
import { platformEndpoints, type Endpoint } from './list.js';

/**
 * The UIs a run made available: those whose owning task ran in it (not as a checked dependency) and
 * ended ok or changed. A plan makes nothing available. Pure.
 */
export function availableEndpoints(
  run: { readonly mode: string; readonly tasks: readonly TaskResult[] },
  endpoints: readonly Endpoint[],
): Endpoint[] {
  if (run.mode !== 'run') return [];
  const done = new Set(
    run.tasks
      .filter((t) => t.gate !== true && (t.outcome === 'ok' || t.outcome === 'changed'))
      .map((t) => t.id),
  );
  return endpoints.filter((e) => done.has(e.task));
}

/** The lines the recap ends with: each UI this run made available, its address and login; none: []. Pure. */
export function endpointRecapLines(
  run: { readonly mode: string; readonly target: Target; readonly tasks: readonly TaskResult[] },
  endpoints: readonly Endpoint[] = platformEndpoints(run.target),
  styler: Styler = PLAIN,
): string[] {
  const available = availableEndpoints(run, endpoints);
  if (available.length === 0) return [];
  const rows = available.map((e) => [e.name, e.url ?? `no address: ${e.hint}`, e.login]);
  return [
    '',
    styler('heading', 'Open the platform (foundation status probes them; foundation open <name>):'),
    ...formatTable(rows, { indent: 2 }),
  ];
}
