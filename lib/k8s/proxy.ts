import type { ProxyAnswer } from '../ports/kube.js';

/**
 * Classify `kubectl get --raw …/services/<name>:<port>/proxy/<path>`: a 2xx body is ok; an error about
 * reaching the service (no endpoints, a dial or time-out error: nothing routes from the API server to the
 * pods; or the proxy is forbidden to this user or by the network) is unreachable; any other error is the
 * service answering badly. Pure.
 */
export function proxyAnswer(exitCode: number | null, stdout: string, stderr: string): ProxyAnswer {
  const first = (t: string): string => t.trim().split('\n')[0]?.slice(0, 300) ?? '';
  if (exitCode === 0) return { status: 'ok', detail: first(stdout) };
  if (exitCode === 127)
    return { status: 'unreachable', detail: 'kubectl is not installed (foundation run 0-1 says how)' };
  const error = first(stderr) || `kubectl exited ${String(exitCode)}`;
  const unreachable =
    exitCode === null ||
    /error trying to reach service|no endpoints available|dial tcp|i\/o timeout|deadline exceeded|Client\.Timeout|context canceled|connection refused|Unable to connect to the server|\(Forbidden\)|denied destination/i.test(
      error,
    );
  return { status: unreachable ? 'unreachable' : 'failed', detail: error };
}
