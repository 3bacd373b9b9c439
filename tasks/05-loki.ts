import { applyStack, checkStack, datasourceObjects, taskReleases } from '../lib/observability/converge.js';
import type { TaskContext } from '../lib/model/context.js';
import { defineTask } from '../lib/model/task.js';

const objects = (ctx: TaskContext) => datasourceObjects(ctx, 'loki');

/**
 * 0-5 loki: Loki 3 monolithic on the filesystem with 14 days of logs, Grafana Alloy on every node
 * shipping the logs of the pods of infra and services (JSON parsed; level and service as labels, trace_id
 * as structured metadata), and the Loki datasource in Grafana with logs → trace links.
 */
export default defineTask({
  id: '0-5',
  title: 'Loki and Alloy: pod logs',
  deps: ['0-4'],
  targets: ['k3d', 'cluster'],
  providedBy: { compose: '0-7' },
  hint: 'foundation run 0-5 (docs/observability.md)',
  timeoutMs: 12 * 60_000,
  async check(ctx) {
    return checkStack(ctx, await taskReleases(ctx, '0-5'), await objects(ctx));
  },
  async apply(ctx) {
    await applyStack(ctx, await taskReleases(ctx, '0-5'), await objects(ctx));
  },
});
