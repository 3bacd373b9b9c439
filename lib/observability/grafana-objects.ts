import { parse } from 'yaml';
import { renderSecret, type SecretManifest } from '../k8s/secret.js';
import type { KubeObject } from '../ports/kube.js';

/** A file to provision: its name (without extension) and its text. */
export interface ProvisionedFile {
  readonly name: string;
  readonly text: string;
}

/** A ConfigMap holding one file, labelled for the Grafana sidecar that watches `label`. */
const sidecarConfigMap = (name: string, namespace: string, label: string, key: string, text: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels: { [label]: '1', 'app.kubernetes.io/part-of': 'foundation' } },
  data: { [key]: text },
});

/**
 * A dashboard as a ConfigMap the Grafana sidecar loads (label grafana_dashboard=1). The JSON must parse and
 * carry a uid and panels, so a broken file fails here rather than silently in Grafana. Pure.
 */
export function dashboardConfigMap(file: ProvisionedFile, namespace: string): KubeObject {
  let dashboard: { uid?: unknown; panels?: unknown };
  try {
    dashboard = JSON.parse(file.text) as typeof dashboard;
  } catch (error) {
    throw new TypeError(`dashboard ${file.name}.json is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof dashboard.uid !== 'string' || !Array.isArray(dashboard.panels))
    throw new TypeError(`dashboard ${file.name}.json needs a string "uid" and a "panels" list`);
  const name = `foundation-dashboard-${file.name}`;
  return sidecarConfigMap(name, namespace, 'grafana_dashboard', `${file.name}.json`, file.text);
}

/** A Grafana datasource provisioning file as a ConfigMap the sidecar loads (grafana_datasource=1). Pure. */
export function datasourceConfigMap(file: ProvisionedFile, namespace: string): KubeObject {
  const parsed = parse(file.text) as { datasources?: { uid?: unknown }[] } | null;
  if (!Array.isArray(parsed?.datasources) || parsed.datasources.some((d) => typeof d.uid !== 'string'))
    throw new TypeError(`datasource file ${file.name}.yaml needs a "datasources" list, each with a uid`);
  const name = `foundation-datasource-${file.name}`;
  return sidecarConfigMap(name, namespace, 'grafana_datasource', `${file.name}.yaml`, file.text);
}

export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

/** The Secret Grafana's admin login comes from (values: grafana.admin.existingSecret). Pure. */
export function grafanaAdminSecret(password: string, namespace: string): SecretManifest {
  return renderSecret(GRAFANA_ADMIN_SECRET, namespace, { 'admin-user': 'admin', 'admin-password': password });
}

/** The ClusterRole Grafana's sidecars run under (values: grafana.rbac.useExistingClusterRole). */
export const GRAFANA_SIDECAR_ROLE = 'foundation-grafana-sidecar';

/**
 * What Grafana's dashboard and datasource sidecars may read: ConfigMaps, in every namespace (a service's
 * dashboard lives beside it). The chart's own ClusterRole also grants every Secret of the cluster, which
 * the sidecars here never read (values: `resource: configmap`). Pure.
 */
export function grafanaSidecarRole(): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: GRAFANA_SIDECAR_ROLE, labels: { 'app.kubernetes.io/part-of': 'foundation' } },
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch', 'list'] }],
  };
}

/**
 * The binding the chart makes for Grafana's service account (`<release>-grafana-clusterrolebinding`). A
 * release installed before the sidecars had their own ClusterRole has it pointing at the chart's role,
 * and a binding's roleRef cannot be changed: the upgrade would fail on it every time.
 */
export const GRAFANA_BINDING = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  name: 'kube-prometheus-stack-grafana-clusterrolebinding',
} as const;

/** Whether the live binding (null: none) must go before the upgrade: bound to another role. Pure. */
export function staleGrafanaBinding(live: KubeObject | null): boolean {
  if (live === null) return false;
  const role = (live.roleRef as { name?: unknown } | undefined)?.name;
  return role !== GRAFANA_SIDECAR_ROLE;
}
