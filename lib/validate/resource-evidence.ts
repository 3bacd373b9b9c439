import type { HttpProbe } from '../ports/validation.js';
import type { Observation, Observations } from './judge.js';
import { promScalar, reason } from './platform-evidence.js';
import type { ValidationInput, ValidationPorts } from './probes.js';
import { PROBE_TIMEOUT_MS, failed, within } from './within.js';

const MEMORY_QUERY = 'sum(container_memory_working_set_bytes{container!="",image!=""})';

/** On Kubernetes: the working sets of every container in the cluster, from the kubelets through Prometheus. */
async function kubeMemory(http: HttpProbe, prometheus: string | null): Promise<Observations> {
  if (prometheus === null)
    return {
      'REQ-0.1/M2': {
        kind: 'absent',
        reason: 'no address for Prometheus on this target: set PROMETHEUS_URL',
      },
    };
  const how = `PromQL ${MEMORY_QUERY} (cAdvisor through the kubelet, scraped by Prometheus)`;
  const fix = 'the Resources dashboard in Grafana; kubectl top pods -A';
  try {
    const v = await promScalar(http, prometheus, MEMORY_QUERY);
    if (v === undefined)
      return {
        'REQ-0.1/M2': {
          kind: 'error',
          reason: 'Prometheus has no container memory series (is the kubelet scraped?)',
          fix: 'foundation run 0-4',
          how,
        },
      };
    return { 'REQ-0.1/M2': { kind: 'value', value: Math.round(v / 2 ** 20), unit: 'MiB', how, fix } };
  } catch (e) {
    return {
      'REQ-0.1/M2': {
        kind: 'error',
        reason: `Prometheus at ${prometheus}: ${reason(e)}`,
        fix: 'foundation run 0-4',
        how,
      },
    };
  }
}

/** REQ-0.1/M2: the stack's memory, from `docker stats` on compose, from Prometheus on Kubernetes. */
export async function memoryObservations(p: ValidationPorts, input: ValidationInput): Promise<Observations> {
  if (input.target !== 'compose') return kubeMemory(p.http, input.urls.prometheus);
  const name = input.composeProject?.name ?? null;
  const how = `docker stats --no-stream of the Compose project ${name ?? '?'}`;
  if (name === null)
    return {
      'REQ-0.1/M2': {
        kind: 'error',
        reason: 'the Compose file cannot be read',
        fix: 'check FOUNDATION_COMPOSE_FILE',
        how,
      },
    };
  const mem = await within(30_000, 'docker stats', () => p.docker.memory(name));
  if (failed(mem))
    return { 'REQ-0.1/M2': { kind: 'error', reason: mem.failed, fix: 'scripts/infra-status', how } };
  const sizes = Object.values(mem);
  if (sizes.length === 0)
    return {
      'REQ-0.1/M2': {
        kind: 'error',
        reason: `no container of ${name} is running`,
        fix: 'scripts/infra-up',
        how,
      },
    };
  const total = Math.round(sizes.reduce((a, b) => a + b, 0));
  return {
    'REQ-0.1/M2': {
      kind: 'value',
      value: total,
      unit: 'MiB',
      how: `${how} (${sizes.length} containers)`,
      fix: 'scripts/infra-status; docs/compose.md (memory limits)',
    },
  };
}

/** REQ-0.6/AC2, AC3, M1: gitleaks over the whole history, and the pre-commit hook. */
export async function secretObservations(p: ValidationPorts, input: ValidationInput): Promise<Observations> {
  const how = 'gitleaks git --redact (the whole history)';
  const scan = await within(120_000, 'gitleaks', () => p.secrets.scan(input.workspace));
  const hooks = await within(PROBE_TIMEOUT_MS, 'git', () => p.git.hooks());
  // gitleaks passes a committed .env whose values a person chose (low entropy): git itself says it is there.
  const tracked = await within(PROBE_TIMEOUT_MS, 'git', () => p.git.isTracked('.env'));
  const envCommitted = tracked === true;
  const out: Record<string, Observation> = {};
  const untrack =
    'git rm --cached .env && git commit; rotate every secret it held (foundation run 0-9 says how)';
  // A committed .env fails AC2 whatever gitleaks can say, or whether it is there at all.
  if (envCommitted && (failed(scan) || scan === null))
    out['REQ-0.6/AC2'] = {
      kind: 'fact',
      holds: false,
      detail: `.env is committed (git ls-files); the history was not scanned: ${failed(scan) ? scan.failed : 'gitleaks is not installed'}`,
      how: 'git ls-files .env',
      fix: untrack,
    };
  else if (failed(scan))
    out['REQ-0.6/AC2'] = { kind: 'error', reason: scan.failed, fix: `gitleaks git ${input.workspace}`, how };
  else if (scan === null)
    out['REQ-0.6/AC2'] = {
      kind: 'absent',
      reason: 'gitleaks is not installed (foundation run 0-1 says how to get it)',
    };
  else {
    const found =
      scan.findings === 0
        ? 'no finding in the history'
        : `${scan.findings} finding(s) in ${scan.files.join(', ')}`;
    const detail = envCommitted ? `.env is committed (git ls-files); ${found}` : found;
    out['REQ-0.6/AC2'] = {
      kind: 'fact',
      holds: scan.findings === 0 && !envCommitted,
      detail,
      how: `${how}, and git ls-files .env`,
      fix: envCommitted ? untrack : `gitleaks git --redact -v ${input.workspace}`,
    };
    out['REQ-0.6/M1'] = {
      kind: 'value',
      value: scan.findings + (envCommitted ? 1 : 0),
      unit: 'findings',
      how: envCommitted ? `${how}, plus the committed .env` : how,
      fix: 'rotate the secret, then remove it from history',
    };
  }
  // M1 is gitleaks's count: without a scan there is none to give.
  out['REQ-0.6/M1'] ??= {
    kind: 'absent',
    reason: `the history was not scanned (${failed(scan) ? scan.failed : 'gitleaks is not installed'})`,
  };
  if (failed(hooks))
    out['REQ-0.6/AC3'] = {
      kind: 'error',
      reason: hooks.failed,
      fix: 'foundation run 0-1',
      how: 'git rev-parse --git-path hooks',
    };
  else
    out['REQ-0.6/AC3'] = {
      kind: 'fact',
      holds: hooks === 'installed',
      detail:
        hooks === 'installed'
          ? 'lefthook runs gitleaks on every commit (scripts/hooks/secret-scan)'
          : hooks === 'no-scan'
            ? 'lefthook.yml (the workspace’s own) runs no secret scan before a commit'
            : `git hooks: ${hooks}`,
      how: 'the pre-commit hook of this repository',
      fix:
        hooks === 'no-scan'
          ? 'add the secret scan to lefthook.yml (foundation run 0-1 says the line)'
          : 'foundation run 0-1 (installs the hooks)',
    };
  return out;
}
