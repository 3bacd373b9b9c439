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

type Containers = { template?: { spec?: { containers?: { name?: string }[] } } } | undefined;
const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet'];
const containersOf = (o: KubeObject) =>
  WORKLOADS.includes(o.kind ?? '') ? (o.spec as Containers)?.template?.spec?.containers : undefined;

/** `o` with its container `name` running `image`. Pure. */
function setImage(o: KubeObject, name: string, image: string): KubeObject {
  const spec = o.spec as Containers;
  return {
    ...o,
    spec: {
      ...spec,
      template: {
        ...spec?.template,
        spec: {
          ...spec?.template?.spec,
          containers: (containersOf(o) ?? []).map((c) => (c.name === name ? { ...c, image } : c)),
        },
      },
    },
  };
}

/**
 * A service's objects with its container running the built `image`: every container named `app` (the
 * template's name for it). None named so: the only container of the only workload; other workloads of
 * the service (a cache, a worker) keep their images. Otherwise which container runs the service cannot
 * be told, and deploying would report an image that does not run: refused. Pure.
 */
export function withImage(objects: readonly KubeObject[], image: string): KubeObject[] {
  if (objects.some((o) => containersOf(o)?.some((c) => c.name === 'app')))
    return objects.map((o) => (containersOf(o) === undefined ? o : setImage(o, 'app', image)));
  const workloads = objects.filter((o) => containersOf(o) !== undefined);
  const only = workloads.length === 1 ? containersOf(workloads[0] as KubeObject) : undefined;
  if (only?.length === 1)
    return objects.map((o) => (o === workloads[0] ? setImage(o, only[0]?.name ?? '', image) : o));
  if (workloads.length === 0) return [...objects];
  throw new FoundationError(
    'E_CONFIG_INVALID',
    `no container named app among ${workloads.map((o) => `${o.kind ?? '?'} ${o.metadata?.name ?? '?'}`).join(', ')}: which one runs the built image cannot be told`,
    'name the service’s container app in k8s/ (as the template does), then deploy again',
  );
}
