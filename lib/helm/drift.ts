import { createHash } from 'node:crypto';

import type { DeployedRelease } from '../ports/helm.js';

export type { DeployedRelease } from '../ports/helm.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function canonical(value: unknown): Json {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value as Json;
}

/** A stable hash of a values tree: key order and formatting of the file do not change it. Pure. */
export function valuesHash(values: unknown): string {
  const text = JSON.stringify(canonical(values ?? {}));
  return `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

/** Values under keys like these are named in a diff, never shown (`grafana.adminPassword`). */
const SECRET_KEY = /(password|passwd|secret|token|api_?key|private_?key|credentials?)$/i;

const show = (v: unknown, key: string): string => {
  if (v !== undefined && SECRET_KEY.test(key)) return '(hidden)';
  const text = JSON.stringify(v) as string | undefined;
  return text === undefined ? '(unset)' : text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/**
 * Every difference between the values we want and the values the release was installed with (both as
 * given to helm, before chart defaults), as `path: deployed → desired` lines; values under secret-looking
 * keys (`…password`, `…token`) are `(hidden)`. Pure.
 */
export function valuesDiff(desired: unknown, deployed: unknown, path = ''): string[] {
  const isMap = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  // A map on one side and nothing on the other is compared leaf by leaf too, so a secret inside an added
  // or removed subtree is named by its own path (and hidden), never printed as part of a JSON object.
  const mapOrAbsent = (v: unknown) => isMap(v) || v === undefined;
  if ((isMap(desired) || isMap(deployed)) && mapOrAbsent(desired) && mapOrAbsent(deployed)) {
    const d = isMap(desired) ? desired : {};
    const l = isMap(deployed) ? deployed : {};
    const keys = [...new Set([...Object.keys(l), ...Object.keys(d)])].sort();
    return keys.flatMap((k) => valuesDiff(d[k], l[k], path ? `${path}.${k}` : k));
  }
  if (JSON.stringify(canonical(desired)) === JSON.stringify(canonical(deployed))) return [];
  const key = path.split('.').pop() ?? '';
  return [`${path || '(values)'}: ${show(deployed, key)} → ${show(desired, key)}`];
}

export type ReleaseState =
  | { readonly kind: 'ok'; readonly detail: string }
  | { readonly kind: 'missing'; readonly reason: string }
  | { readonly kind: 'drift'; readonly reason: string; readonly diff: string };

/** Compare a release as declared with what helm reports. Pure. */
export function releaseState(
  desired: { release: string; chart: string; version: string; values: unknown },
  deployed: DeployedRelease | null,
  deployedValues: unknown,
): ReleaseState {
  if (deployed === null) return { kind: 'missing', reason: `release ${desired.release} is not installed` };
  const problems: string[] = [];
  if (deployed.status !== 'deployed')
    problems.push(`status ${deployed.status} (revision ${deployed.revision})`);
  if (deployed.chart !== desired.chart) problems.push(`chart ${deployed.chart} → ${desired.chart}`);
  if (deployed.version !== desired.version)
    problems.push(`chart version ${deployed.version} → ${desired.version}`);
  const diff = valuesDiff(desired.values, deployedValues);
  if (diff.length > 0)
    problems.push(
      `values ${valuesHash(deployedValues)} → ${valuesHash(desired.values)} (${diff.length} setting(s))`,
    );
  if (problems.length === 0) {
    return {
      kind: 'ok',
      detail: `${desired.release} ${desired.chart}-${desired.version} (app ${deployed.appVersion}), values ${valuesHash(desired.values)}`,
    };
  }
  return {
    kind: 'drift',
    reason: `release ${desired.release}: ${problems.join('; ')}`,
    diff: diff.join('\n'),
  };
}
