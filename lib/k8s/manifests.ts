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

/** A workload with its `app` container running `image` (other objects are returned as they are). Pure. */
export function withImage(o: KubeObject, image: string): KubeObject {
  const spec = o.spec as { template?: { spec?: { containers?: { name?: string }[] } } } | undefined;
  const containers = spec?.template?.spec?.containers;
  if (containers === undefined || !['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind ?? ''))
    return o;
  return {
    ...o,
    spec: {
      ...spec,
      template: {
        ...spec?.template,
        spec: {
          ...spec?.template?.spec,
          containers: containers.map((c) => (c.name === 'app' ? { ...c, image } : c)),
        },
      },
    },
  };
}
