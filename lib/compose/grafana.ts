import { basename } from 'node:path';
import { stringify } from 'yaml';
import { FoundationError } from '../errors.js';
import { ADDRESSES, generatedHeader } from './configs.js';
import { setting, textSetting, yamlOf, type StackSources } from './sources.js';

/** In-network addresses of the datasources the Kubernetes files point at cluster Services. */
const URLS: Readonly<Record<string, string>> = { loki: ADDRESSES.loki, tempo: ADDRESSES.tempo };

interface Datasource {
  uid?: unknown;
  url?: unknown;
  [key: string]: unknown;
}

/**
 * One provisioning file with the datasources of both targets: Prometheus under the uid the Kubernetes
 * values give it, and Loki and Tempo exactly as in their Kubernetes files (same uids, same
 * trace ↔ logs ↔ metrics links) with only the address changed.
 */
export function datasourcesFile(src: StackSources): string {
  const values = src.values.prometheus;
  const v = yamlOf(values);
  const prometheusUid = textSetting(values, v, 'grafana.sidecar.datasources.uid');
  const fromFiles = src.datasources.flatMap((file) => {
    const list = setting(file, yamlOf(file), 'datasources');
    if (!Array.isArray(list))
      throw new FoundationError(
        'E_CONFIG_INVALID',
        `${file.path}: datasources is not a list`,
        `fix ${file.path}`,
      );
    return (list as Datasource[]).map((d) => {
      const url = typeof d.uid === 'string' ? URLS[d.uid] : undefined;
      if (url === undefined)
        throw new FoundationError(
          'E_CONFIG_INVALID',
          `${file.path}: datasource uid ${JSON.stringify(d.uid)} has no Compose address`,
          'Compose knows the loki and tempo datasources; keep their uids (dashboards and links use them)',
        );
      return { ...d, url };
    });
  });
  const prometheus = {
    name: 'Prometheus',
    uid: prometheusUid,
    type: 'prometheus',
    access: 'proxy',
    url: ADDRESSES.prometheus,
    isDefault: true,
    editable: false,
  };
  return (
    generatedHeader([values.path, ...src.datasources.map((d) => d.path)]) +
    stringify({ apiVersion: 1, datasources: [prometheus, ...fromFiles] }, { lineWidth: 0 })
  );
}

/** Grafana's dashboard provider: the dashboards folder, read-only, as the Kubernetes sidecar loads them. */
export function dashboardProvider(src: StackSources): string {
  return (
    generatedHeader(src.dashboards.map((d) => d.path)) +
    stringify({
      apiVersion: 1,
      providers: [
        {
          name: 'foundation',
          type: 'file',
          disableDeletion: true,
          allowUiUpdates: false,
          updateIntervalSeconds: 30,
          options: { path: '/var/lib/grafana/dashboards' },
        },
      ],
    })
  );
}

/** The dashboards, as files named after their source (checked to be JSON, so a broken one is named). */
export function dashboardFiles(src: StackSources): { name: string; text: string }[] {
  return src.dashboards.map((d) => {
    try {
      JSON.parse(d.text);
    } catch {
      throw new FoundationError('E_CONFIG_INVALID', `${d.path} is not valid JSON`, `fix ${d.path}`);
    }
    return { name: basename(d.path), text: d.text };
  });
}

/** grafana.env: the values' grafana.ini settings as GF_<SECTION>_<KEY> variables (no secrets here). */
export function grafanaEnv(src: StackSources): string {
  const file = src.values.prometheus;
  const grafana = setting(file, yamlOf(file), 'grafana') as Record<string, unknown>;
  const ini = grafana['grafana.ini'];
  const lines = Object.entries((ini ?? {}) as Record<string, Record<string, unknown>>).flatMap(
    ([section, keys]) =>
      Object.entries(keys).map(
        ([key, value]) => `GF_${section.toUpperCase()}_${key.toUpperCase()}=${String(value)}`,
      ),
  );
  return generatedHeader([file.path]) + ['GF_SECURITY_ADMIN_USER=admin', ...lines].join('\n') + '\n';
}
