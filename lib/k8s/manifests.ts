import { FoundationError } from '../errors.js';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, ObjectRef } from '../ports/kube.js';

/** The objects in a multi-document YAML file (empty documents dropped). Pure. */
export function parseManifests(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object');
}

export function describeObject(o: KubeObject): string {
  const ns = o.metadata?.namespace;
  return `${o.kind ?? '?'} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '?'}`;
}

/** The object a reference names (enough to read or delete it). */
export function objectOf(ref: ObjectRef): KubeObject {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: ref.namespace === undefined ? { name: ref.name } : { name: ref.name, namespace: ref.namespace },
  };
}

/**
 * A workload with the service's container running `image`: the one named `app` (the template's), or the
 * only one. Other objects are returned as they are. Several containers, none named `app`: which one runs
 * the service cannot be told, and deploying would report an image that does not run — refused. Pure.
 */
export function withImage(o: KubeObject, image: string): KubeObject {
  const spec = o.spec as { template?: { spec?: { containers?: { name?: string }[] } } } | undefined;
  const containers = spec?.template?.spec?.containers;
  if (containers === undefined || !['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind ?? ''))
    return o;
  const target = containers.some((c) => c.name === 'app')
    ? 'app'
    : containers.length === 1
      ? containers[0]?.name
      : null;
  if (target === null)
    throw new FoundationError(
      'E_CONFIG_INVALID',
      `${o.kind ?? '?'} ${o.metadata?.name ?? '?'} has ${containers.length} containers and none named app: the built image has no container to run in`,
      'name the service’s container app in k8s/ (as the template does), then deploy again',
    );
  return {
    ...o,
    spec: {
      ...spec,
      template: {
        ...spec?.template,
        spec: {
          ...spec?.template?.spec,
          containers: containers.map((c) => (c.name === target ? { ...c, image } : c)),
        },
      },
    },
  };
}
