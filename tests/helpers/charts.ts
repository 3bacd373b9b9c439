// The pinned observability charts, rendered offline: each release of k8s/observability/releases.yaml is
// looked up in a plain chart repository (index.yaml + packaged charts; `<repo>/../shared/charts`, or
// FOUNDATION_CHARTS_DIR) and rendered with `helm template` and its values file. Also the readers the chart
// tests need: nested values, Kubernetes quantities, what pods ask of a ResourceQuota (Alloy's syntax:
// lib/observability/alloy-syntax.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { parseReleasesFile, type ReleaseSpec } from '../../lib/helm/releases-file.js';
import { ROOT } from './cli.js';

export type Tree = Record<string, unknown>;
export const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A nested value, key by key (for keys with dots in them). */
export const at = (tree: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (isTree(v) ? v[k] : undefined), tree);
/** A nested value by dotted path: `dig(o, 'spec.template.spec')`. */
export const dig = (tree: unknown, path: string): unknown => at(tree, ...path.split('.'));
/** The values at these dotted paths, to compare with what they should be in one deepEqual. */
export const pick = (tree: unknown, paths: readonly string[]): Tree =>
  Object.fromEntries(paths.map((p) => [p, dig(tree, p)]));
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const yamlDocs = (text: string): Tree[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter(isTree);
export const repoYaml = (...path: string[]): Tree[] => yamlDocs(readFileSync(join(ROOT, ...path), 'utf8'));
export const name = (o: unknown): string => `${str(at(o, 'kind'))}/${str(dig(o, 'metadata.name'))}`;
export function one(objects: readonly Tree[], kind: string, named: string): Tree {
  const found = objects.find((o) => name(o) === `${kind}/${named}`);
  if (found === undefined) throw new Error(`no ${kind} ${named} among the rendered objects`);
  return found;
}

export const OBSERVABILITY = join(ROOT, 'k8s', 'observability');
export const releases = (): ReleaseSpec[] =>
  parseReleasesFile(readFileSync(join(OBSERVABILITY, 'releases.yaml'), 'utf8'), 'releases.yaml');

/** The Kubernetes version of the k3d cluster (its k3s image), for the charts' kubeVersion constraints. */
export function kubeVersion(): string {
  const image = str(dig(repoYaml('k8s', 'k3d-config.yaml')[0], 'image'));
  const version = /:(v\d+\.\d+\.\d+)/.exec(image)?.[1];
  if (version === undefined) throw new Error(`k8s/k3d-config.yaml: no k3s version in image "${image}"`);
  return version;
}

/** Where this checkout came from, when that is a folder on this machine (a CI clone of a working copy). */
function origin(): string | null {
  try {
    const url = execFileSync('git', ['-C', ROOT, 'config', '--get', 'remote.origin.url'], {
      encoding: 'utf8',
    }).trim();
    const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
    return isAbsolute(path) && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/**
 * The pinned-chart repository: FOUNDATION_CHARTS_DIR, else the nearest `shared/charts` beside the
 * repository or one of its parent folders — of this checkout, or of the working copy it was cloned from.
 */
export function chartsDir(): string {
  if (process.env.FOUNDATION_CHARTS_DIR) return process.env.FOUNDATION_CHARTS_DIR;
  for (const start of [ROOT, origin()]) {
    if (start === null) continue;
    for (let dir = resolve(start, '..'); ; dir = dirname(dir)) {
      const candidate = join(dir, 'shared', 'charts');
      if (existsSync(join(candidate, 'index.yaml'))) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  return resolve(ROOT, '..', 'shared', 'charts');
}

/** The packaged chart of a pin, through the repository's index.yaml; or why it is not there. */
export function findChart(
  dir: string,
  chart: string,
  version: string,
): { path: string } | { missing: string } {
  const index = join(dir, 'index.yaml');
  if (!existsSync(index))
    return {
      missing: `no chart repository at ${dir} (no index.yaml; set FOUNDATION_CHARTS_DIR to the folder of the pinned charts)`,
    };
  const entries = list(dig(parse(readFileSync(index, 'utf8')), `entries.${chart}`));
  const entry = entries.find((e) => at(e, 'version') === version);
  if (entry === undefined) {
    const have = entries.map((e) => str(at(e, 'version'))).join(', ') || 'none';
    return { missing: `chart ${chart} ${version} is not in ${index} (${chart} versions there: ${have})` };
  }
  const url = str(list(at(entry, 'urls'))[0]);
  if (/^[a-z][\w+.-]*:\/\//i.test(url)) return { missing: `chart ${chart} ${version} is remote (${url})` };
  const path = isAbsolute(url) ? url : join(dir, url);
  return existsSync(path) ? { path } : { missing: `chart ${chart} ${version}: ${path} is listed but absent` };
}

export interface Rendered {
  readonly objects: Tree[];
  readonly ms: number;
}

/** `helm template` of one release with its values file, as its task would install it. */
export function renderRelease(helm: string, spec: ReleaseSpec, chart: string): Rendered {
  const args = ['template', spec.release, chart, '--version', spec.version, '--namespace', spec.namespace];
  args.push('--values', join(OBSERVABILITY, spec.values), '--kube-version', kubeVersion());
  args.push('--api-versions', 'monitoring.coreos.com/v1', '--skip-tests');
  const start = performance.now();
  try {
    const out = execFileSync(helm, args, { encoding: 'utf8', maxBuffer: 1 << 26, stdio: 'pipe' });
    return { objects: yamlDocs(out), ms: Math.round(performance.now() - start) };
  } catch (error) {
    throw new Error(`helm ${args.join(' ')} failed:\n${String(at(error, 'stderr') ?? error)}`, {
      cause: error,
    });
  }
}

const UNITS: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
for (const [i, u] of ['Ki', 'Mi', 'Gi', 'Ti'].entries()) UNITS[u] = 2 ** (10 * (i + 1));
/** A Kubernetes quantity (`100m`, `192Mi`, `2Gi`) as a number: cores or bytes. */
export function quantity(v: unknown): number {
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(v));
  if (m === null) throw new Error(`not a Kubernetes quantity: ${String(v)}`);
  return Number(m[1]) * (UNITS[m[2] ?? ''] ?? NaN);
}
export const MiB = 2 ** 20;

/** Requests (cpu, memory) and the memory limit: of a container, a pod, or a LimitRange's defaults. */
export interface Amounts {
  cpu: number;
  memory: number;
  memoryLimit: number;
}
export interface Container {
  readonly name: string;
  readonly resources: unknown;
}
/** Pods of one shape: how many, with their containers and init containers. */
export interface Pods {
  readonly owner: string;
  readonly count: number;
  readonly containers: readonly Container[];
  readonly init: readonly Container[];
}

/** A container as admitted: a missing request is its limit, else the LimitRange's; so is a missing limit. */
export function effective(c: Container, d: Amounts): Amounts {
  const get = (path: string): number | null => {
    const v = dig(c.resources, path);
    return v === undefined || v === null ? null : quantity(v);
  };
  return {
    cpu: get('requests.cpu') ?? get('limits.cpu') ?? d.cpu,
    memory: get('requests.memory') ?? get('limits.memory') ?? d.memory,
    memoryLimit: get('limits.memory') ?? d.memoryLimit,
  };
}

/** A pod's share of a quota: the sum of its containers, or its largest init container if that is more. */
export function podAmounts(p: Pods, d: Amounts): Amounts {
  const sum = p.containers.map((c) => effective(c, d));
  const init = p.init.map((c) => effective(c, d));
  const total = (k: keyof Amounts) =>
    Math.max(
      sum.reduce((s, r) => s + r[k], 0),
      ...init.map((r) => r[k]),
    );
  return { cpu: total('cpu'), memory: total('memory'), memoryLimit: total('memoryLimit') };
}

const containers = (v: unknown): Container[] =>
  list(v).map((c) => ({ name: str(at(c, 'name')), resources: at(c, 'resources') }));

/**
 * The pods these objects run: workloads × replicas (DaemonSets × nodes), and the Prometheus and Alertmanager
 * pods the operator makes, with its config reloader (sized by the operator's --config-reloader-* flags).
 */
export function podsOf(objects: readonly Tree[], nodes: number): Pods[] {
  const flags = objects
    .filter((o) => o.kind === 'Deployment')
    .flatMap((o) => list(dig(o, 'spec.template.spec.containers')))
    .flatMap((c) => list(at(c, 'args')).map(str));
  const flag = (f: string) => flags.find((a) => a.startsWith(`--config-reloader-${f}=`))?.split('=')[1];
  const limit = flag('memory-limit');
  const reloader = (named: string): Container => ({
    name: named,
    resources: {
      requests: { cpu: flag('cpu-request'), memory: flag('memory-request') },
      ...(limit === undefined ? {} : { limits: { memory: limit } }),
    },
  });
  return objects.flatMap((o): Pods[] => {
    const replicas = Number(dig(o, 'spec.replicas') ?? 1);
    const pod = o.kind === 'Pod' ? o.spec : dig(o, 'spec.template.spec');
    const plain = (count: number): Pods[] => [
      {
        owner: name(o),
        count,
        containers: containers(at(pod, 'containers')),
        init: containers(at(pod, 'initContainers')),
      },
    ];
    switch (o.kind) {
      case 'Deployment':
      case 'StatefulSet':
      case 'ReplicaSet':
        return plain(replicas);
      case 'DaemonSet':
        return plain(nodes);
      case 'Job':
        return plain(Number(dig(o, 'spec.parallelism') ?? 1));
      case 'Pod':
        return plain(1);
      case 'Prometheus':
      case 'Alertmanager': {
        const main = { name: str(o.kind).toLowerCase(), resources: dig(o, 'spec.resources') };
        const count = replicas * Number(dig(o, 'spec.shards') ?? 1);
        return [
          {
            owner: name(o),
            count,
            containers: [main, reloader('config-reloader')],
            init: [reloader('init-config-reloader')],
          },
        ];
      }
      default:
        return [];
    }
  });
}

/** The storage the objects claim: PersistentVolumeClaims and their pods' volume claim templates. */
export function claimsOf(objects: readonly Tree[]): number[] {
  const size = (claim: unknown) => quantity(dig(claim, 'spec.resources.requests.storage'));
  return objects.flatMap((o) => {
    const times = (claim: unknown) => Array<number>(Number(dig(o, 'spec.replicas') ?? 1)).fill(size(claim));
    if (o.kind === 'PersistentVolumeClaim') return [size(o)];
    if (o.kind === 'StatefulSet') return list(dig(o, 'spec.volumeClaimTemplates')).flatMap(times);
    const template = dig(o, 'spec.storage.volumeClaimTemplate');
    return (o.kind === 'Prometheus' || o.kind === 'Alertmanager') && template ? times(template) : [];
  });
}

/** The objects a k8s/<dir> kustomization lists (their namespace is the kustomization's to set). */
export const kustomized = (dir: string): Tree[] =>
  list(dig(repoYaml('k8s', dir, 'kustomization.yaml')[0], 'resources')).flatMap((f) =>
    repoYaml('k8s', dir, str(f)),
  );
