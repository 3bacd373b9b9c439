import { applyStack, checkStack, datasourceObjects, taskReleases } from '../lib/observability/converge.js';
import type { TaskContext } from '../lib/model/context.js';
import { defineTask } from '../lib/model/task.js';

const objects = (ctx: TaskContext) => datasourceObjects(ctx, 'tempo');

/**
 * 0-6 tempo: Tempo monolithic receiving OTLP on 4317/4318 with 7 days of traces and span metrics written
 * to Prometheus, and the Tempo datasource in Grafana correlated: trace → logs (Loki, by trace id),
 * trace → metrics (Prometheus), service map.
 */
export default defineTask({
  id: '0-6',
  title: 'Tempo: traces, correlated in Grafana',
  deps: ['0-4'],
  targets: ['k3d', 'cluster'],
  providedBy: { compose: '0-7' },
  hint: 'foundation run 0-6 (docs/observability.md)',
  timeoutMs: 10 * 60_000,
  async check(ctx) {
    return checkStack(ctx, await taskReleases(ctx, '0-6'), await objects(ctx));
  },
  async apply(ctx) {
    await applyStack(ctx, await taskReleases(ctx, '0-6'), await objects(ctx));
  },
});
