import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { FoundationError } from '../errors.js';
import { alloyConfig } from './alloy.js';
import { alertmanagerConfig, generatedHeader, lokiConfig, prometheusConfig, tempoConfig } from './configs.js';
import { dashboardFiles, dashboardProvider, datasourcesFile, grafanaEnv } from './grafana.js';
import { setting, textSetting, yamlOf, type SourceFile, type StackSources } from './sources.js';

/** A file Compose mounts, relative to the generated folder, and the service that reads it. */
export interface RenderedFile {
  readonly path: string;
  readonly service: string;
  readonly content: string;
}

/** The Compose platform's configuration: mounted files, and the variables the Compose file interpolates. */
export interface RenderedStack {
  readonly files: readonly RenderedFile[];
  /** `infra.env`'s variables: retention, memory limits and one configuration hash per service. */
  readonly env: Readonly<Record<string, string>>;
}

/** The folder (beside the Compose files) the rendered configuration is written to. */
export const GENERATED_DIR = 'generated';
/** The file of interpolation variables, in the generated folder. */
export const ENV_FILE = 'infra.env';
/** The services whose configuration is rendered, with the variable carrying its hash. */
export const CONFIGURED = ['prometheus', 'alertmanager', 'grafana', 'loki', 'tempo', 'alloy'] as const;
export const hashVariable = (service: string) => `${service.toUpperCase()}_CONFIG`;

/** Kubernetes quantities (`768Mi`, `1Gi`) in Compose's notation (`768m`, `1g`). */
export function composeMemory(quantity: string, where: string): string {
  const m = /^(\d+)(Ki|Mi|Gi)$/.exec(quantity);
  if (m === null)
    throw new FoundationError(
      'E_CONFIG_INVALID',
      `${where}: memory limit ${JSON.stringify(quantity)} is not a whole number of Ki, Mi or Gi`,
      `write it like 768Mi or 1Gi in ${where}`,
    );
  return `${m[1] ?? ''}${(m[2] ?? '').charAt(0).toLowerCase()}`;
}

/** A container of a Kubernetes manifest file, by name. */
function container(file: SourceFile, name: string): Record<string, unknown> {
  for (const doc of parseAllDocuments(file.text)) {
    const spec = (doc.toJS() as { spec?: { template?: { spec?: { containers?: unknown } } } } | null)?.spec;
    const list = spec?.template?.spec?.containers;
    const found = Array.isArray(list)
      ? (list as Record<string, unknown>[]).find((c) => c.name === name)
      : undefined;
    if (found) return found;
  }
  throw new FoundationError('E_CONFIG_INVALID', `${file.path} has no container ${name}`, `fix ${file.path}`);
}

/** The value of a `--flag=value` argument of a container. */
function flag(file: SourceFile, c: Record<string, unknown>, name: string): string {
  const args = Array.isArray(c.args) ? (c.args as unknown[]) : [];
  const arg = args.find((a): a is string => typeof a === 'string' && a.startsWith(`--${name}=`));
  if (arg === undefined)
    throw new FoundationError('E_CONFIG_INVALID', `${file.path}: no --${name} argument`, `fix ${file.path}`);
  return arg.slice(name.length + 3);
}

const hashOf = (files: readonly RenderedFile[]): string => {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path)))
    h.update(`${f.path}\0${f.content}\0`);
  return `sha256:${h.digest('hex').slice(0, 16)}`;
};

/** Render the Compose platform's configuration from the Kubernetes side's files. Pure. */
export function renderStack(src: StackSources): RenderedStack {
  const file = (service: string, path: string, content: string): RenderedFile => ({ service, path, content });
  const files: RenderedFile[] = [
    file('prometheus', 'prometheus/prometheus.yml', prometheusConfig(src)),
    ...src.rules.map((r) =>
      file('prometheus', `prometheus/rules/${basename(r.path)}`, generatedHeader([r.path]) + r.text),
    ),
    file('alertmanager', 'alertmanager/alertmanager.yml', alertmanagerConfig(src)),
    file('grafana', 'grafana/provisioning/datasources/datasources.yaml', datasourcesFile(src)),
    file('grafana', 'grafana/provisioning/dashboards/dashboards.yaml', dashboardProvider(src)),
    ...dashboardFiles(src).map((d) => file('grafana', `grafana/dashboards/${d.name}`, d.text)),
    file('grafana', 'grafana/grafana.env', grafanaEnv(src)),
    file('loki', 'loki/loki.yaml', lokiConfig(src)),
    file('tempo', 'tempo/tempo.yaml', tempoConfig(src)),
    file('alloy', 'alloy/config.alloy', alloyConfig(src)),
  ];
  const kps = src.values.prometheus;
  const k = yamlOf(kps);
  const mem = (f: SourceFile, tree: unknown, path: string) =>
    composeMemory(textSetting(f, tree, path), f.path);
  const loki = yamlOf(src.values.loki);
  const tempo = yamlOf(src.values.tempo);
  const alloy = yamlOf(src.values.alloy);
  const redpanda = container(src.redpanda, 'redpanda');
  const consoleC = container(src.console, 'console');
  const limit = (f: SourceFile, c: Record<string, unknown>) =>
    composeMemory(String(setting(f, c, 'resources.limits.memory')), f.path);
  const remoteWrite = setting(kps, k, 'prometheus.prometheusSpec.enableRemoteWriteReceiver');
  if (remoteWrite !== true)
    throw new FoundationError(
      'E_CONFIG_INVALID',
      `${kps.path}: prometheus.prometheusSpec.enableRemoteWriteReceiver must stay true`,
      'Tempo span metrics and (on Compose) application metrics arrive by remote write',
    );
  const env: Record<string, string> = {
    PROMETHEUS_RETENTION: textSetting(kps, k, 'prometheus.prometheusSpec.retention'),
    PROMETHEUS_RETENTION_SIZE: textSetting(kps, k, 'prometheus.prometheusSpec.retentionSize'),
    ALERTMANAGER_RETENTION: textSetting(kps, k, 'alertmanager.alertmanagerSpec.retention'),
    PROMETHEUS_MEMORY: mem(kps, k, 'prometheus.prometheusSpec.resources.limits.memory'),
    ALERTMANAGER_MEMORY: mem(kps, k, 'alertmanager.alertmanagerSpec.resources.limits.memory'),
    GRAFANA_MEMORY: mem(kps, k, 'grafana.resources.limits.memory'),
    LOKI_MEMORY: mem(src.values.loki, loki, 'singleBinary.resources.limits.memory'),
    TEMPO_MEMORY: mem(src.values.tempo, tempo, 'tempo.resources.limits.memory'),
    ALLOY_MEMORY: mem(src.values.alloy, alloy, 'alloy.resources.limits.memory'),
    REDPANDA_MEMORY: limit(src.redpanda, redpanda),
    REDPANDA_SMP: flag(src.redpanda, redpanda, 'smp'),
    REDPANDA_SEASTAR_MEMORY: flag(src.redpanda, redpanda, 'memory'),
    CONSOLE_MEMORY: limit(src.console, consoleC),
  };
  for (const service of CONFIGURED)
    env[hashVariable(service)] = hashOf(files.filter((f) => f.service === service));
  return { files, env };
}

/** infra.env's text: one `NAME=value` line per variable, under the generated-file header. */
export function envFileText(env: Readonly<Record<string, string>>, from: readonly string[]): string {
  const lines = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return `${generatedHeader(from)}${lines.join('\n')}\n`;
}
