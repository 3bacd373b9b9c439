import { seconds } from '../report/summary.js';
import { formatTable } from '../ui/table.js';
import { join } from 'node:path';
import type { ErrorInfo } from '../errors.js';
import type { KubeObject } from '../ports/kube.js';

/** One stage of a deployment, timed: what the user watched happen. */
export interface DeployStage {
  readonly name: 'build' | 'import' | 'apply' | 'rollout' | 'health';
  readonly ms: number;
  readonly detail: string;
}

/** One health check after the rollout: passed, failed, or could not be made from here (null). */
export interface HealthCheck {
  readonly name: string;
  readonly ok: boolean | null;
  readonly detail: string;
}

/** What `foundation deploy` records in .foundation/deploys/ (and prints with --json). */
export interface DeployRecord {
  readonly v: 1;
  readonly service: string;
  readonly target: string;
  readonly dir: string;
  readonly image: string | null;
  readonly startedAt: string;
  readonly totalMs: number;
  readonly ok: boolean;
  readonly stages: readonly DeployStage[];
  /** The stage it stopped at, when one failed. */
  readonly failedStage?: { readonly name: DeployStage['name']; readonly ms: number };
  readonly health: readonly HealthCheck[];
  readonly error?: ErrorInfo;
}

export const DEPLOYS_DIR = join('.foundation', 'deploys');

/** Where a service named on the command line may be: generated services first, then the examples. Pure. */
export function serviceCandidates(name: string, packageRoot: string): string[] {
  return [join('services', name), join('examples', name), join(packageRoot, 'examples', name)];
}

/**
 * The tag a deployment runs: the package version and the built image's ID, so new code always rolls out
 * (a fixed tag would leave the pods on the old image) and the same code never does twice. Pure.
 */
export function deployTag(name: string, version: string, imageId: string): string {
  return `${name}:${version}-${imageId.replace(/^sha256:/, '').slice(0, 12)}`;
}

/** The HTTP probe paths of a workload's first container (readiness first): what its health means. Pure. */
export function probePaths(workload: KubeObject | undefined): string[] {
  type Probe = { httpGet?: { path?: string } } | undefined;
  const c = (
    workload?.spec as
      | { template?: { spec?: { containers?: { readinessProbe?: Probe; livenessProbe?: Probe }[] } } }
      | undefined
  )?.template?.spec?.containers?.[0];
  const paths = [c?.readinessProbe?.httpGet?.path, c?.livenessProbe?.httpGet?.path];
  return [...new Set(paths.filter((p): p is string => typeof p === 'string' && p !== ''))];
}

/** Healthy = no check failed and at least one passed (a check that could not be made is said, not failed). */
export function healthy(checks: readonly HealthCheck[]): boolean {
  return checks.every((c) => c.ok !== false) && checks.some((c) => c.ok === true);
}

/** The summary printed at the end of a deployment. Pure. */
export function renderDeploy(r: DeployRecord): string {
  const lines = [
    '',
    `${r.ok ? '✔' : '✖'} ${r.service} ${r.ok ? 'deployed' : 'not deployed'} on ${r.target} in ${seconds(r.totalMs)}${r.image === null ? '' : ` (${r.image})`}`,
    ...formatTable(
      r.stages.map((s) => [s.name, seconds(s.ms), s.detail]),
      { indent: 2, right: [1] },
    ),
  ];
  if (r.health.length > 0) {
    lines.push('health:');
    for (const h of r.health)
      lines.push(`  ${h.ok === true ? '✔' : h.ok === false ? '✖' : '–'} ${h.name}: ${h.detail}`);
  }
  if (r.failedStage !== undefined)
    lines.push(`stopped at: ${r.failedStage.name}, after ${seconds(r.failedStage.ms)}`);
  if (r.error !== undefined)
    lines.push(
      `error: ${r.error.code}: ${r.error.message}`,
      ...(r.error.fix ? [`  fix: ${r.error.fix}`] : []),
    );
  return `${lines.join('\n')}\n`;
}
