import type { CoreV1Api, KubernetesObject, KubernetesObjectApi, VersionApi } from '@kubernetes/client-node';
import { classifyKubeError } from '../k8s/errors.js';
import type { Kube, KubeObject } from '../model/context.js';

const FIELD_MANAGER = 'foundation';

const describe = (o: KubeObject): string =>
  `${o.kind ?? '?'} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '?'}`;

/** The Kubernetes API through @kubernetes/client-node 2: server-side apply (field manager "foundation"). */
export function createKube(): Kube {
  let clients: { objects: KubernetesObjectApi; version: VersionApi; core: CoreV1Api } | null = null;
  // Loaded on first use: the client library takes ~300 ms to import, which `foundation list` should not pay.
  let lib: typeof import('@kubernetes/client-node') | null = null;
  const get = async () => {
    lib ??= await import('@kubernetes/client-node');
    const { KubeConfig, KubernetesObjectApi, VersionApi, CoreV1Api } = lib;
    if (clients === null) {
      const kc = new KubeConfig();
      kc.loadFromDefault();
      if (!kc.getCurrentCluster()) throw new Error('no active cluster in the kubeconfig');
      clients = {
        objects: KubernetesObjectApi.makeApiClient(kc),
        version: kc.makeApiClient(VersionApi),
        core: kc.makeApiClient(CoreV1Api),
      };
    }
    return clients;
  };
  const guard = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw classifyKubeError(error, what);
    }
  };
  return {
    version: () => guard('version', async () => (await (await get()).version.getCode()).gitVersion),
    nodes: () =>
      guard('list nodes', async () =>
        (await (await get()).core.listNode()).items.map((n) => ({
          name: n.metadata?.name ?? '?',
          ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
        })),
      ),
    read: (o) =>
      guard(`read ${describe(o)}`, async (): Promise<KubeObject | null> => {
        try {
          const live: KubernetesObject = await (
            await get()
          ).objects.read(o as KubernetesObject & { metadata: { name: string } });
          return live as KubeObject;
        } catch (error) {
          if ((error as { code?: number }).code === 404) return null;
          throw error;
        }
      }),
    apply: (o, options = {}) =>
      guard(`apply ${describe(o)}`, async (): Promise<KubeObject> => {
        const dryRun = options.dryRun ? 'All' : undefined;
        const result: KubernetesObject = await (
          await get()
        ).objects.patch(o, undefined, dryRun, FIELD_MANAGER, true, 'application/apply-patch+yaml');
        return result as KubeObject;
      }),
    list: (apiVersion, kind, namespace, labelSelector) =>
      guard(`list ${kind} in ${namespace}`, async (): Promise<KubeObject[]> => {
        const api = (await get()).objects;
        const result = await api.list(
          apiVersion,
          kind,
          namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          labelSelector,
        );
        return result.items as KubeObject[];
      }),
  };
}
