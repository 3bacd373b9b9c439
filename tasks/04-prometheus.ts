import { join } from 'node:path';
import { uiIngresses } from '../lib/endpoints/ingress.js';
import {
  GRAFANA_BINDING,
  dashboardConfigMap,
  grafanaAdminSecret,
  grafanaSidecarRole,
  staleGrafanaBinding,
} from '../lib/observability/grafana-objects.js';
import { toPrometheusRule } from '../lib/observability/prometheus-rule.js';
import {
  applyStack,
  checkStack,
  OBSERVABILITY_DIR,
  taskReleases,
  type StackObjects,
} from '../lib/observability/converge.js';
import type { TaskContext } from '../lib/model/context.js';
import { readPackageFile } from '../lib/model/package-files.js';
import { defineTask } from '../lib/model/task.js';

const NAMESPACE = 'infra';
const RULE_FILES = ['recording.yml', 'alerts.yml'];
const DASHBOARDS = ['overview', 'service-red', 'kafka', 'resources'];

/**
 * The admin Secret (from .env) and the sidecars' ClusterRole, then the PrometheusRule (from the rule
 * files) and the dashboard ConfigMaps.
 */
async function objects(ctx: TaskContext): Promise<StackObjects | { missingPassword: true }> {
  const password = (await ctx.secrets.values()).GRAFANA_ADMIN_PASSWORD;
  if (password === undefined) return { missingPassword: true };
  const rules = await Promise.all(
    RULE_FILES.map(async (f) => {
      const path = join(OBSERVABILITY_DIR, 'rules', f);
      return { path, text: await readPackageFile(ctx, path) };
    }),
  );
  const dashboards = await Promise.all(
    DASHBOARDS.map(async (name) => ({
      name,
      text: await readPackageFile(ctx, join(OBSERVABILITY_DIR, 'dashboards', `${name}.json`)),
    })),
  );
  return {
    before: [{ ...grafanaAdminSecret(password, NAMESPACE) }, grafanaSidecarRole()],
    after: [
      toPrometheusRule('foundation-rules', NAMESPACE, rules),
      ...dashboards.map((d) => dashboardConfigMap(d, NAMESPACE)),
      // k3d: http://grafana.localhost:8080, prometheus.localhost, alertmanager.localhost (lib/endpoints).
      ...uiIngresses(['grafana', 'prometheus', 'alertmanager'], ctx.target, NAMESPACE),
    ],
  };
}

const NO_PASSWORD = {
  status: 'blocked',
  reason: '.env has no GRAFANA_ADMIN_PASSWORD',
  hint: 'foundation run 0-1 (generates it into .env)',
} as const;

/**
 * 0-4 prometheus: kube-prometheus-stack at its pinned chart version with k8s/observability/values
 * (30 days of metrics with a size cap, ServiceMonitors from every namespace, k3s-less control plane),
 * Grafana's admin password from .env, Foundation's alert and recording rules as a PrometheusRule, and the
 * four dashboards provisioned through the Grafana sidecar; on k3d the Ingress objects of Grafana,
 * Prometheus and Alertmanager (http://<name>.localhost:8080).
 */
export default defineTask({
  id: '0-4',
  title: 'Prometheus, Alertmanager, Grafana, rules and dashboards',
  deps: ['0-1', '0-2'],
  targets: ['k3d', 'cluster'],
  providedBy: { compose: '0-7' },
  hint: 'foundation run 0-4 (docs/observability.md)',
  timeoutMs: 15 * 60_000,
  async check(ctx) {
    const releases = await taskReleases(ctx, '0-4');
    const objs = await objects(ctx);
    if ('missingPassword' in objs) return NO_PASSWORD;
    return checkStack(ctx, releases, objs);
  },
  async apply(ctx) {
    const releases = await taskReleases(ctx, '0-4');
    const objs = await objects(ctx);
    if ('missingPassword' in objs) return; // check blocks first; nothing to do without the password
    // Helm makes the binding again, to the sidecars' role (an upgrade cannot change its roleRef).
    const { apiVersion, kind, name } = GRAFANA_BINDING;
    if (staleGrafanaBinding(await ctx.kube.read({ apiVersion, kind, metadata: { name } }))) {
      await ctx.kube.delete(GRAFANA_BINDING);
      ctx.log.info(
        `deleted ${GRAFANA_BINDING.name}: bound to the chart's role, Helm binds the sidecars' own`,
      );
    }
    await applyStack(ctx, releases, objs);
  },
});
