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

/** What went wrong talking to the Kubernetes API, as a coded error with its fix. Pure. */
export function classifyKubeError(error: unknown, what: string): FoundationError {
  const e = error as {
    code?: number | string;
    message?: string;
    body?: unknown;
    cause?: { code?: string };
  } | null;
  const status = typeof e?.code === 'number' ? e.code : undefined;
  const errno = typeof e?.code === 'string' ? e.code : e?.cause?.code;
  const message = statusMessage(e?.body) ?? e?.message ?? String(error);
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
  if (status === 404)
    return new FoundationError(
      'E_KUBE_NOT_FOUND',
      `${what}: not found`,
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
