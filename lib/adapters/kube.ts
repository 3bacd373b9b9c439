import type {
  CoreV1Api,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  VersionApi,
} from '@kubernetes/client-node';
import { classifyKubeError } from '../k8s/errors.js';
import { describeObject, parseManifests } from '../k8s/manifests.js';
import { proxyAnswer } from '../k8s/proxy.js';
import type { Kube, KubeObject } from '../ports/kube.js';
import type { Shell } from '../ports/shell.js';
import { clientWatch, watchRollout } from './kube-rollout.js';

const FIELD_MANAGER = 'foundation';

interface Clients {
  readonly kc: KubeConfig;
  readonly objects: KubernetesObjectApi;
  readonly version: VersionApi;
  readonly core: CoreV1Api;
}

/** One connection for the whole run (the kubeconfig is read once, on first use). */
export interface KubeConnection {
  clients(): Promise<Clients>;
}

/**
 * Whether loadFromDefault() found no kubeconfig at all: with no KUBECONFIG, no ~/.kube/config and no
 * service account, @kubernetes/client-node makes up a cluster at http://localhost:8080 (kubectl's default of
 * old), and every call then fails with an HTTP-client message instead of "no kubeconfig".
 */
export function madeUpConfig(kc: {
  getCurrentContext(): string;
  getCurrentCluster(): { readonly server: string } | null;
}): boolean {
  return (
    kc.getCurrentContext() === 'loaded-context' && kc.getCurrentCluster()?.server === 'http://localhost:8080'
  );
}

export function connectKube(): KubeConnection {
  let clients: Promise<Clients> | null = null;
  return {
    clients() {
      // Loaded on first use: the client library takes ~300 ms to import, which `foundation list` should not pay.
      clients ??= import('@kubernetes/client-node').then(
        ({ KubeConfig, KubernetesObjectApi, VersionApi, CoreV1Api }) => {
          const kc = new KubeConfig();
          kc.loadFromDefault();
          if (!kc.getCurrentCluster()) throw new Error('no active cluster in the kubeconfig');
          if (madeUpConfig(kc))
            throw new Error('no kubeconfig: KUBECONFIG is not set and ~/.kube/config does not exist');
          return {
            kc,
            objects: KubernetesObjectApi.makeApiClient(kc),
            version: kc.makeApiClient(VersionApi),
            core: kc.makeApiClient(CoreV1Api),
          };
        },
      );
      clients.catch(() => {
        clients = null; // a later call may find a kubeconfig that exists by then
      });
      return clients;
    },
  };
}

const asKube = (o: KubernetesObject): KubeObject => o as KubeObject;
const asSpec = (o: KubeObject) => o as KubernetesObject & { metadata: { name: string } };

/** The Kubernetes API through @kubernetes/client-node 2, plus `kubectl kustomize` to build kustomizations. */
export function createKube(connection: KubeConnection, sh: Shell): Kube {
  const get = () => connection.clients();
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
      guard(`read ${describeObject(o)}`, async (): Promise<KubeObject | null> => {
        try {
          return asKube(await (await get()).objects.read(asSpec(o)));
        } catch (error) {
          if ((error as { code?: number }).code === 404) return null;
          throw error;
        }
      }),
    apply: (o, options = {}) =>
      guard(`apply ${describeObject(o)}`, async (): Promise<KubeObject> => {
        const dryRun = options.dryRun ? 'All' : undefined;
        const api = (await get()).objects;
        return asKube(
          await api.patch(o, undefined, dryRun, FIELD_MANAGER, true, 'application/apply-patch+yaml'),
        );
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
        // Items of a list response carry no apiVersion or kind: put them back, readiness depends on the kind.
        return result.items.map((item) => ({ ...asKube(item), apiVersion, kind }));
      }),
    delete: (ref) =>
      guard(`delete ${ref.kind} ${ref.name}`, async (): Promise<boolean> => {
        const spec = {
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
        };
        try {
          await (await get()).objects.delete(spec, undefined, undefined, undefined, undefined, 'Foreground');
          return true;
        } catch (error) {
          if ((error as { code?: number }).code === 404) return false;
          throw error;
        }
      }),
    async build(dir) {
      const out = await sh.exec('kubectl', ['kustomize', dir], {
        stream: false,
        fix: `check ${dir}/kustomization.yaml (kubectl kustomize ${dir} shows the error)`,
      });
      return parseManifests(out.stdout);
    },
    rollout: (ref, options) =>
      guard(`rollout of ${ref.kind} ${ref.name}`, async () =>
        watchRollout(await clientWatch((await get()).kc), ref, options),
      ),
    async proxyGet(service, path, timeoutMs) {
      // kubectl without a kubeconfig asks localhost:8080 ("connection refused" from the wrong place):
      // the same check as every other call first, so that is said as E_KUBE_NO_CONFIG with its fix.
      await guard(`proxy to ${service.name}`, get);
      const raw = `/api/v1/namespaces/${service.namespace}/services/${service.name}:${service.port}/proxy/${path.replace(/^\//, '')}`;
      const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
      const r = await sh.run('kubectl', ['get', '--raw', raw, `--request-timeout=${seconds}s`], {
        stream: false,
        timeoutMs: timeoutMs + 2_000,
      });
      return proxyAnswer(r.exitCode, r.stdout, r.stderr);
    },
  };
}
