import { join } from 'node:path';
import { FoundationError } from '../errors.js';
import { OBSERVABILITY_DIR } from '../observability/converge.js';
import { parseYaml } from '../yaml-text.js';

/** The rule files and dashboards both targets deploy (task 0-4 on Kubernetes, task 0-7 on Compose). */
export const RULE_FILES = ['recording.yml', 'alerts.yml'] as const;
export const DASHBOARDS = ['overview', 'service-red', 'kafka', 'resources'] as const;
/** The Grafana datasource files tasks 0-5/0-6 load on Kubernetes; Compose provisions the same. */
export const DATASOURCES = ['loki', 'tempo'] as const;

/** A file of the platform's configuration, by its path in the package and its text. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/**
 * Everything the Compose platform is rendered from: the same files the Kubernetes side deploys (values,
 * rules, dashboards, datasources, the Redpanda manifest). Nothing of the Compose configuration is
 * written by hand twice; `renderStack` derives it from these.
 */
export interface StackSources {
  readonly values: {
    readonly prometheus: SourceFile;
    readonly loki: SourceFile;
    readonly tempo: SourceFile;
    readonly alloy: SourceFile;
  };
  readonly redpanda: SourceFile;
  readonly console: SourceFile;
  readonly rules: readonly SourceFile[];
  readonly dashboards: readonly SourceFile[];
  readonly datasources: readonly SourceFile[];
}

/** The package paths `StackSources` is read from. */
export const SOURCE_PATHS = {
  values: {
    prometheus: join(OBSERVABILITY_DIR, 'values', 'kube-prometheus-stack.yaml'),
    loki: join(OBSERVABILITY_DIR, 'values', 'loki.yaml'),
    tempo: join(OBSERVABILITY_DIR, 'values', 'tempo.yaml'),
    alloy: join(OBSERVABILITY_DIR, 'values', 'alloy.yaml'),
  },
  redpanda: join('k8s', 'redpanda', 'redpanda.yaml'),
  console: join('k8s', 'redpanda', 'console.yaml'),
  rules: RULE_FILES.map((f) => join(OBSERVABILITY_DIR, 'rules', f)),
  dashboards: DASHBOARDS.map((d) => join(OBSERVABILITY_DIR, 'dashboards', `${d}.json`)),
  datasources: DATASOURCES.map((d) => join(OBSERVABILITY_DIR, 'datasources', `${d}.yaml`)),
} as const;

/** Read every source through `read` (a package-file reader; a missing file is its error). */
export async function readStackSources(read: (path: string) => Promise<string>): Promise<StackSources> {
  const one = async (path: string): Promise<SourceFile> => ({ path, text: await read(path) });
  const many = (paths: readonly string[]) => Promise.all(paths.map(one));
  const p = SOURCE_PATHS;
  return {
    values: {
      prometheus: await one(p.values.prometheus),
      loki: await one(p.values.loki),
      tempo: await one(p.values.tempo),
      alloy: await one(p.values.alloy),
    },
    redpanda: await one(p.redpanda),
    console: await one(p.console),
    rules: await many(p.rules),
    dashboards: await many(p.dashboards),
    datasources: await many(p.datasources),
  };
}

/** Parse a YAML source (all documents), or fail naming the file and line (E_CONFIG_INVALID, exit 2). */
export function yamlOf(file: SourceFile): unknown {
  const parsed = parseYaml(file.text);
  if (!parsed.ok)
    throw new FoundationError(
      'E_CONFIG_INVALID',
      `${file.path} is not valid YAML: ${parsed.problems.join('; ')}`,
      `fix ${file.path}; both the Kubernetes and the Compose platform are made from it`,
    );
  return parsed.value;
}

/** The value at a dotted path (`prometheus.prometheusSpec.retention`), or fail naming file and path. */
export function setting(file: SourceFile, tree: unknown, path: string): unknown {
  let at: unknown = tree;
  for (const key of path.split('.')) {
    at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  }
  if (at === undefined)
    throw new FoundationError(
      'E_CONFIG_INVALID',
      `${file.path} has no ${path}`,
      `set ${path} in ${file.path}: the Compose platform takes it from there`,
    );
  return at;
}

/** A setting that must be a non-empty string (or number, as text). */
export const textSetting = (file: SourceFile, tree: unknown, path: string): string => {
  const v = setting(file, tree, path);
  if ((typeof v === 'string' && v !== '') || typeof v === 'number') return String(v);
  throw new FoundationError(
    'E_CONFIG_INVALID',
    `${file.path}: ${path} must be a text value`,
    `correct ${path} in ${file.path}`,
  );
};
