import { join } from 'node:path';
import { parse } from 'yaml';
import { FoundationError } from '../errors.js';
import { resolveChart } from '../helm/chart-source.js';
import { releaseState } from '../helm/drift.js';
import { datasourceConfigMap } from './grafana-objects.js';
import { parseReleasesFile, type ReleaseSpec } from '../helm/releases-file.js';
import { objectsDriftReport } from '../k8s/converge.js';
import { describeObject } from '../k8s/manifests.js';
import { notReady, WORKLOAD_KINDS } from '../k8s/workloads.js';
import type { KubeObject, TaskContext } from '../model/context.js';
import { readPackageFile } from '../model/package-files.js';
import type { CheckResult } from '../model/task.js';

export const OBSERVABILITY_DIR = join('k8s', 'observability');
const RELEASES_FILE = join(OBSERVABILITY_DIR, 'releases.yaml');

/** A release with its values, read from the package. */
export interface Release {
  readonly spec: ReleaseSpec;
  readonly values: unknown;
  /** Absolute path of the values file, for helm. */
  readonly valuesPath: string;
}

/** Kubernetes objects a task applies around its releases: `before` helm runs (a Secret the chart reads), `after` (they need its CRDs or Grafana). */
export interface StackObjects {
  readonly before: readonly KubeObject[];
  readonly after: readonly KubeObject[];
}

/** The releases task `task` installs, with their parsed values files. A malformed file fails with exit 2. */
export async function taskReleases(ctx: TaskContext, task: string): Promise<Release[]> {
  const specs = parseReleasesFile(await readPackageFile(ctx, RELEASES_FILE), RELEASES_FILE);
  const out: Release[] = [];
  for (const spec of specs.filter((s) => s.task === task)) {
    const path = join(OBSERVABILITY_DIR, spec.values);
    let values: unknown;
    try {
      // YAML 1.1, as helm reads values: `on`, `y`, `no` are booleans, `010` is octal. Parsed as 1.2 they
      // would be strings and the release would show as drifted forever.
      values = parse(await readPackageFile(ctx, path), { version: '1.1' }) ?? {};
    } catch (error) {
      if (error instanceof FoundationError) throw error;
      throw new FoundationError(
        'E_RELEASES_FILE_MALFORMED',
        `${path} (values of ${spec.release}) is not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`,
        `fix ${path}`,
      );
    }
    out.push({ spec, values, valuesPath: join(ctx.platform.packageRoot, path) });
  }
  return out;
}

/** The objects of a task that adds one Grafana datasource (k8s/observability/datasources/<name>.yaml). */
export async function datasourceObjects(ctx: TaskContext, name: string): Promise<StackObjects> {
  const text = await readPackageFile(ctx, join(OBSERVABILITY_DIR, 'datasources', `${name}.yaml`));
  return { before: [], after: [datasourceConfigMap({ name, text }, 'infra')] };
}

/** Workloads of a release that are not ready, as `statefulset/loki: 0/1 replicas ready`. */
async function unreadyWorkloads(ctx: TaskContext, spec: ReleaseSpec): Promise<string[]> {
  const found: KubeObject[] = [];
  for (const { kind, apiVersion } of WORKLOAD_KINDS)
    found.push(
      ...(await ctx.kube.list(
        apiVersion,
        kind,
        spec.namespace,
        `app.kubernetes.io/instance=${spec.release}`,
      )),
    );
  const problems: string[] = [];
  for (const ref of spec.workloads) {
    const [kind = '', name = ''] = ref.split('/');
    const k = WORKLOAD_KINDS.find((w) => w.kind.toLowerCase() === kind);
    const live = k
      ? await ctx.kube.read({
          apiVersion: k.apiVersion,
          kind: k.kind,
          metadata: { name, namespace: spec.namespace },
        })
      : null;
    // These are made by the release's operator, not by helm: when they never appear, the operator is
    // where to look (kubectl -n <ns> logs deploy/<release>-operator).
    if (live === null) problems.push(`${ref}: not found (its operator has not made it)`);
    else found.push(live);
  }
  if (found.length === 0) problems.push(`no workloads labelled app.kubernetes.io/instance=${spec.release}`);
  for (const o of found) {
    const why = notReady(o);
    if (why !== null) problems.push(`${(o.kind ?? '').toLowerCase()}/${o.metadata?.name ?? '?'}: ${why}`);
  }
  return problems;
}

/**
 * Check a task's part of the stack: each release deployed at its pinned chart version with the same
 * values, the objects in place, every workload ready. The first thing that is not is reported.
 */
export async function checkStack(
  ctx: TaskContext,
  releases: readonly Release[],
  objects: StackObjects,
): Promise<CheckResult> {
  const configured = ctx.config.helmRepos;
  let known: Record<string, string> | null = null;
  for (const { spec, values } of releases) {
    const deployed = await ctx.helm.release(spec.release, spec.namespace);
    const state = releaseState(
      { ...spec, values },
      deployed,
      deployed === null ? {} : await ctx.helm.values(spec.release, spec.namespace),
    );
    if (state.kind === 'ok') continue;
    known ??= await ctx.helm.repos();
    const source = resolveChart(spec, configured, known);
    if (!source.ok)
      return { status: 'blocked', reason: `${state.reason}, and ${source.reason}`, hint: source.hint };
    return state.kind === 'missing'
      ? { status: 'missing', reason: state.reason }
      : { status: 'drift', reason: state.reason, diff: state.diff };
  }
  const drift = await objectsDriftReport(ctx.kube, [...objects.before, ...objects.after]);
  if (drift.lines.length > 0)
    return {
      status: 'drift',
      reason: `${drift.lines.length} object(s) differ`,
      diff: drift.lines.join('\n'),
      changes: drift.changes,
    };
  const unready = (await Promise.all(releases.map((r) => unreadyWorkloads(ctx, r.spec)))).flat();
  if (unready.length > 0) return { status: 'drift', reason: `not ready: ${unready.join('; ')}` };
  return {
    status: 'ok',
    detail: releases.map((r) => `${r.spec.release} ${r.spec.chart}-${r.spec.version}`).join(', ') + ' ready',
  };
}

/** Converge a task's part of the stack: objects before, `helm upgrade --install --wait` for each release that differs, objects after. */
export async function applyStack(
  ctx: TaskContext,
  releases: readonly Release[],
  objects: StackObjects,
): Promise<void> {
  for (const o of objects.before) await applyObject(ctx, o);
  const known = await ctx.helm.repos();
  for (const { spec, values, valuesPath } of releases) {
    const deployed = await ctx.helm.release(spec.release, spec.namespace);
    const deployedValues = deployed === null ? {} : await ctx.helm.values(spec.release, spec.namespace);
    if (releaseState({ ...spec, values }, deployed, deployedValues).kind === 'ok') continue;
    const source = resolveChart(spec, ctx.config.helmRepos, known);
    if (!source.ok) throw new FoundationError('E_CONFIG_INVALID', source.reason, source.hint);
    ctx.log.info(
      `helm upgrade --install ${spec.release} ${spec.chart}@${spec.version} (from ${source.from})`,
    );
    const started = Date.now();
    await ctx.helm.upgradeInstall({
      release: spec.release,
      namespace: spec.namespace,
      chart: source.chart,
      sourceArgs: source.args,
      version: spec.version,
      valuesFile: valuesPath,
      timeout: spec.timeout,
    });
    ctx.log.info(`${spec.release} ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  for (const o of objects.after) await applyObject(ctx, o);
}

async function applyObject(ctx: TaskContext, o: KubeObject): Promise<void> {
  await ctx.kube.apply(o);
  ctx.log.debug(`applied ${describeObject(o)}`);
}
