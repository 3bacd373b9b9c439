import { FoundationError } from '../errors.js';

/** The API server's own words: the `message` of the Status object it answered with (a JSON string or object). */
function statusMessage(body: unknown): string | undefined {
  let status: unknown = body;
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const message = (status as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

type Failure = {
  code?: number | string;
  message?: string;
  body?: unknown;
  name?: string;
  cause?: unknown;
} | null;

/** The first system error code (ECONNREFUSED, ENOENT…) down the cause chain: fetch wraps it twice. */
function errnoOf(error: unknown): string | undefined {
  let e = error as Failure;
  for (let depth = 0; depth < 6 && e !== null && typeof e === 'object'; depth++) {
    if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) return e.code;
    e = e.cause ?? null;
  }
  return undefined;
}

/** What went wrong talking to the Kubernetes API, as a coded error with its fix. Pure. */
export function classifyKubeError(error: unknown, what: string): FoundationError {
  // Already said (a cancelled watch, a rollout that did not finish): kept, not made an API error.
  if (error instanceof FoundationError) return error;
  const e = error as Failure;
  if (e?.name === 'AbortError')
    return new FoundationError('E_CANCELLED', `${what}: cancelled`, 'run the command again');
  const status = typeof e?.code === 'number' ? e.code : undefined;
  const errno = errnoOf(error);
  const message = statusMessage(e?.body) ?? e?.message ?? String(error);
  // A credential plugin the kubeconfig runs (aws, gke-gcloud-auth-plugin…) that is not installed.
  if (errno === 'ENOENT' && /spawn/i.test(message))
    return new FoundationError(
      'E_KUBE_NO_CONFIG',
      `${what}: the kubeconfig's credential plugin cannot be run (${message})`,
      'install the command its user runs (users[].user.exec.command in the kubeconfig), or use another context',
    );
  if (errno === 'ENOENT' || errno === 'EACCES')
    return new FoundationError(
      'E_KUBE_NO_CONFIG',
      `${what}: a file of the kubeconfig cannot be read (${message})`,
      'point KUBECONFIG at a kubeconfig that exists (foundation run 0-2 writes k3d’s), or fix the paths in it',
    );
  if (/no active cluster|kubeconfig|no current context|could not find .*config/i.test(message)) {
    return new FoundationError(
      'E_KUBE_NO_CONFIG',
      `${what}: no kubeconfig or current context (${message})`,
      'foundation run 0-2 (creates the k3d cluster and its kubeconfig), or set KUBECONFIG',
    );
  }
  if (errno !== undefined && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EHOSTUNREACH/.test(errno)) {
    return new FoundationError(
      'E_KUBE_UNREACHABLE',
      `${what}: the Kubernetes API does not answer (${errno})`,
      'start the cluster: foundation run 0-2 (or: k3d cluster start foundation)',
    );
  }
  if (status === 401 || status === 403) {
    return new FoundationError(
      'E_KUBE_FORBIDDEN',
      `${what}: forbidden (${status})`,
      'use a kube context with admin rights on the cluster (kubectl config use-context k3d-foundation)',
    );
  }
  // The API server says which: an object of a known kind that is not there, or a kind it does not serve.
  // (client-node asks the API's discovery first: "Failed to fetch resource metadata for <group/kind>")
  if (
    status === 404 &&
    /could not find the requested resource|failed to fetch resource metadata/i.test(message)
  )
    return new FoundationError(
      'E_KUBE_NOT_FOUND',
      `${what}: the cluster does not serve this kind (no API for it: is its CRD installed?)`,
      'install what defines it first: a ServiceMonitor or PrometheusRule needs the Prometheus operator (foundation run 0-4); another CRD, its operator',
    );
  if (status === 404)
    return new FoundationError(
      'E_KUBE_NOT_FOUND',
      `${what}: not found${message === e?.message ? '' : ` (${message})`}`,
      'create it first (foundation run 0-2 for the namespaces)',
    );
  if (status === 409) {
    return new FoundationError(
      'E_KUBE_CONFLICT',
      `${what}: conflict — another field manager owns these fields`,
      'check who changed it (kubectl get -o yaml … --show-managed-fields), then foundation run again',
    );
  }
  if (status === 422 || status === 400)
    return new FoundationError(
      'E_KUBE_INVALID',
      `${what}: the API rejected the object (${message})`,
      'fix the manifest; see the task log for the field',
    );
  return new FoundationError('E_KUBE_ERROR', `${what}: ${message}`, 'see the task log');
}
