/** A Kubernetes object: apiVersion, kind, metadata, and the rest. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** Which object: enough to read, watch or delete it. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** How a rollout ended: ready, or why not when the time ran out. */
export type RolloutResult =
  | { readonly ready: true; readonly ms: number }
  | { readonly ready: false; readonly ms: number; readonly reason: string };

/**
 * The Kubernetes API (@kubernetes/client-node: server-side apply with field manager "foundation").
 * Errors are coded FoundationErrors (E_KUBE_*) with their fix.
 */
export interface Kube {
  /** The server's version, e.g. v1.35.4. */
  version(): Promise<string | undefined>;
  nodes(): Promise<{ name: string; ready: boolean }[]>;
  read(object: KubeObject): Promise<KubeObject | null>;
  /** Server-side apply; with dryRun the server computes the result without storing it. */
  apply(object: KubeObject, options?: { dryRun?: boolean }): Promise<KubeObject>;
  /** Objects of one kind in a namespace, optionally by label selector (`app.kubernetes.io/instance=x`). */
  list(apiVersion: string, kind: string, namespace: string, labelSelector?: string): Promise<KubeObject[]>;
  /** Delete an object; false when it was not there. */
  delete(ref: ObjectRef): Promise<boolean>;
  /** The objects a kustomization builds (`kubectl kustomize <dir>`), not yet applied. */
  build(kustomizationDir: string): Promise<KubeObject[]>;
  /**
   * Watch a Deployment, StatefulSet or DaemonSet until its rollout is complete or `timeoutMs` passes;
   * `onProgress` hears each new state ("1/2 replicas ready (2 up to date)").
   */
  rollout(
    ref: ObjectRef,
    options: { timeoutMs: number; signal?: AbortSignal; onProgress?: (state: string) => void },
  ): Promise<RolloutResult>;
  /**
   * GET a path of a Service through the API server's proxy (`kubectl get --raw …/proxy/<path>`), bounded by
   * `timeoutMs`: ok (2xx), failed (the service answered otherwise), unreachable (no route to it from here).
   */
  proxyGet(
    service: { readonly namespace: string; readonly name: string; readonly port: string },
    path: string,
    timeoutMs: number,
  ): Promise<ProxyAnswer>;
}

/** What a GET through the API server's service proxy found. */
export interface ProxyAnswer {
  readonly status: 'ok' | 'failed' | 'unreachable';
  /** The body (ok) or the error, first line. */
  readonly detail: string;
}
