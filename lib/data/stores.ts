import { join } from 'node:path';
import { renderSecret } from '../k8s/secret.js';
import type { KubeObject, ObjectRef, TaskContext } from '../model/context.js';

/** The kit's databases (task 0-14): on Kubernetes k8s/data in infra; on Compose the `data` profile. */
export const DATA_MANIFESTS = join('k8s', 'data');
export const DATA_SERVICES = ['postgres', 'redis'] as const;
export const DATA_SECRETS = ['POSTGRES_PASSWORD', 'REDIS_PASSWORD'] as const;
export const DATA_CREDENTIALS = { name: 'data-credentials', namespace: 'infra' } as const;

export const DATA_WORKLOADS: readonly (ObjectRef & { timeoutMs: number })[] = DATA_SERVICES.map((name) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  name,
  namespace: 'infra',
  timeoutMs: 180_000,
}));

/** The passwords from .env, or the names .env lacks. */
export async function dataSecrets(
  ctx: TaskContext,
): Promise<{ values: Record<string, string> } | { missing: string[] }> {
  const secrets = await ctx.secrets.values();
  const missing = DATA_SECRETS.filter((n) => secrets[n] === undefined);
  if (missing.length > 0) return { missing };
  return { values: Object.fromEntries(DATA_SECRETS.map((n) => [n, secrets[n] ?? ''])) };
}

/** The Secret the StatefulSets read their passwords from, then the kustomization's objects. */
export async function dataObjects(ctx: TaskContext, values: Record<string, string>): Promise<KubeObject[]> {
  return [
    { ...renderSecret(DATA_CREDENTIALS.name, DATA_CREDENTIALS.namespace, values) },
    ...(await ctx.kube.build(join(ctx.platform.packageRoot, DATA_MANIFESTS))),
  ];
}

/** How services reach them, for the log and the docs (passwords from .env, shown as names). */
export function dataAddresses(target: string): Record<(typeof DATA_SERVICES)[number], string> {
  const host = (name: string) => (target === 'compose' ? 'localhost' : `${name}.infra.svc.cluster.local`);
  return {
    postgres: `postgres://foundation:$POSTGRES_PASSWORD@${host('postgres')}:5432/foundation`,
    redis: `redis://default:$REDIS_PASSWORD@${host('redis')}:6379`,
  };
}
