// REQ-0.6/M2 "secret access is logged": the Kubernetes API's audit log (k8s/audit/policy.yaml: every
// request on a Secret, at the Metadata level, never its data), shipped to Loki by Alloy as
// {job="kube-audit"}. Validate's own checks read Secrets (task 0-9's), so a working pipeline has lines.
import type { Target } from '../model/task.js';
import type { HttpProbe } from '../ports/validation.js';
import type { Observations } from './judge.js';
import { lokiRange } from './log-trace-evidence.js';
import { parseLokiStreams } from './traces.js';
import { HTTP_TIMEOUT_MS } from './within.js';

export const AUDIT_LOGQL = '{job="kube-audit"} |= `"resource":"secrets"`';
const WINDOW_MS = 24 * 3_600_000;
const LIMIT = 100;

interface AuditLine {
  verb?: string;
  user?: { username?: string };
  objectRef?: { namespace?: string; name?: string };
}

/** The newest line, as "get infra/app-secrets by system:serviceaccount:…". Pure. */
export function describeAudit(line: string): string {
  try {
    const e = JSON.parse(line) as AuditLine;
    const which = [e.objectRef?.namespace, e.objectRef?.name].filter(Boolean).join('/') || 'secrets';
    return `${e.verb ?? '?'} ${which} by ${e.user?.username ?? 'unknown'}`;
  } catch {
    return 'a line that is not an audit event';
  }
}

export async function auditObservations(
  http: HttpProbe,
  loki: string | null,
  target: Target,
  now: number = Date.now(),
): Promise<Observations> {
  const id = 'REQ-0.6/M2';
  if (target === 'compose')
    return {
      [id]: {
        kind: 'absent',
        reason:
          'Compose hands secrets from .env to the containers at start: there is no secret store whose reads could be logged',
      },
    };
  if (loki === null)
    return { [id]: { kind: 'absent', reason: 'no address for Loki on this target: set LOKI_URL' } };
  const how = `LogQL ${AUDIT_LOGQL}, the last 24 h`;
  const answer = await http
    .get(lokiRange(loki, AUDIT_LOGQL, now - WINDOW_MS, now + 60_000), HTTP_TIMEOUT_MS)
    .catch((error: unknown) => ({
      status: 0,
      ms: 0,
      body: error instanceof Error ? error.message : String(error),
    }));
  let lines;
  try {
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
    lines = parseLokiStreams(answer.body).sort((a, b) => b.tsMs - a.tsMs);
  } catch (error) {
    const reason = `Loki did not answer the audit query: ${error instanceof Error ? error.message : String(error)}`;
    return { [id]: { kind: 'error', reason, fix: 'foundation run 0-5 (Loki and Alloy)', how } };
  }
  const newest = lines[0];
  if (newest !== undefined) {
    const n = `${lines.length}${lines.length >= LIMIT ? ' or more' : ''}`;
    const at = new Date(newest.tsMs).toISOString();
    return {
      [id]: {
        kind: 'fact',
        holds: true,
        detail: `${n} requests on Secrets in the API server's audit log over 24 h, each with who and which (never the data); the newest: ${describeAudit(newest.line)} at ${at}`,
        how,
      },
    };
  }
  // On a shared cluster the API server is its operators': its audit log may go elsewhere.
  if (target === 'cluster')
    return {
      [id]: {
        kind: 'absent',
        reason: `no audit line in Loki (${AUDIT_LOGQL}): on an existing cluster the API server's audit log is its operators' (k8s/audit/policy.yaml is the policy Foundation would use)`,
      },
    };
  return {
    [id]: {
      kind: 'fact',
      holds: false,
      detail: `no request on a Secret in the audit log over 24 h (${AUDIT_LOGQL}), though validate's own checks read Secrets: the cluster was created before Foundation turned the audit log on, or Alloy does not run on its server node`,
      how,
      fix: 'is the log on? docker inspect k3d-foundation-server-0 | grep audit-log-path — if not, only a new cluster has it (scripts/cluster-destroy deletes the cluster and its data, then foundation all); if it is, check Alloy: kubectl -n infra get pods -l app.kubernetes.io/name=alloy -o wide',
    },
  };
}
