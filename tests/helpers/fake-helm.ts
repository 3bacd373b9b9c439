import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { DeployedRelease } from '../../lib/helm/drift.js';
import type { Helm, Kube, KubeObject } from '../../lib/model/context.js';

type Install = Parameters<Helm['upgradeInstall']>[0];

/**
 * Helm in memory: installs record the release (chart version, the values file's content) and create a
 * ready Deployment labelled with the release in the fake API, plus the workloads an operator would add.
 */
export function fakeHelm(
  kube: Kube & { store: Map<string, KubeObject> },
  opts: {
    repos?: Record<string, string> | undefined;
    operatorWorkloads?: Record<string, string[]>;
    ready?: boolean | undefined;
  } = {},
): Helm & { releases: Map<string, DeployedRelease & { values: unknown }>; installs: Install[] } {
  const releases = new Map<string, DeployedRelease & { values: unknown }>();
  const installs: Install[] = [];
  const workload = (kind: string, name: string, namespace: string, instance: string): KubeObject => ({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace, labels: { 'app.kubernetes.io/instance': instance } },
    spec: { replicas: 1 },
    status:
      opts.ready === false
        ? { readyReplicas: 0 }
        : { replicas: 1, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 },
  });
  return {
    releases,
    installs,
    release: (name) => Promise.resolve(releases.get(name) ?? null),
    values: (name) => Promise.resolve(releases.get(name)?.values ?? {}),
    repos: () => Promise.resolve({ ...opts.repos }),
    async upgradeInstall(o) {
      installs.push(o);
      const previous = releases.get(o.release);
      releases.set(o.release, {
        chart: o.chart.split('/').at(-1) ?? o.chart,
        version: o.version,
        appVersion: 'test',
        status: 'deployed',
        revision: (previous?.revision ?? 0) + 1,
        values: parse(readFileSync(o.valuesFile, 'utf8'), { version: '1.1' }) as unknown,
      });
      const objects = [
        workload('Deployment', o.release, o.namespace, o.release),
        ...(opts.operatorWorkloads?.[o.release] ?? []).map((ref) => {
          const [kind = '', name = ''] = ref.split('/');
          return workload(
            kind === 'statefulset' ? 'StatefulSet' : 'Deployment',
            name,
            o.namespace,
            `${o.release}-x`,
          );
        }),
      ];
      for (const w of objects) await kube.apply(w);
    },
  };
}
