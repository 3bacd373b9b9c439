import type { Config } from '../config/schema.js';
import type { TaskResult } from '../model/outcome.js';
import type { Target } from '../model/task.js';
import type {
  Compose,
  ComposeProject,
  DesiredTopic,
  Docker,
  Generator,
  Git,
  K3d,
  KafkaApi,
  Kube,
} from '../ports/index.js';
import type { BusProbe, HttpProbe, SecretScan } from '../ports/validation.js';
import type { RunSummary } from '../report/summary.js';
import { busObservations } from './bus-evidence.js';
import { ciObservations, type TestRunRecord } from './ci-evidence.js';
import { clusterObservations } from './cluster-evidence.js';
import type { ValidationRequest } from './context.js';
import { dashboardObservations, type DashboardSource } from './dashboard-evidence.js';
import { endToEnd, type EndToEndUrls, type Hop } from './e2e.js';
import type { Observation, Observations } from './judge.js';
import { persistenceObservations } from './persistence-evidence.js';
import { consoleObservations, prometheusObservations, reason } from './platform-evidence.js';
import { retentionObservations, type Retentions } from './retention-evidence.js';
import { runObservations, taskObservations } from './task-evidence.js';
import { templateObservations } from './template-evidence.js';
import { topicObservations } from './topic-evidence.js';
import { PROBE_TIMEOUT_MS, failed, within } from './within.js';

/** What the probes may touch: adapters only. */
export interface ValidationPorts {
  readonly kube: Kube;
  readonly k3d: K3d;
  readonly kafka: KafkaApi;
  readonly docker: Docker;
  readonly compose: Compose;
  readonly git: Git;
  readonly generator: Generator;
  readonly bus: BusProbe;
  readonly secrets: SecretScan;
  readonly http: HttpProbe;
}

/** Where this machine reaches the platform (null: not on this target unless a setting says). */
export interface PlatformUrls extends EndToEndUrls {
  readonly console: string | null;
  readonly grafana: string | null;
}

export interface ValidationInput {
  readonly target: Target;
  readonly config: Config;
  readonly workspace: string;
  readonly request: ValidationRequest;
  /** Every other task's read-only check, made just before. */
  readonly tasks: readonly TaskResult[];
  /** Past runs of this workspace, oldest first. */
  readonly runs: readonly RunSummary[];
  readonly urls: PlatformUrls;
  /** What the sources promise, to read back from the running platform. */
  readonly expected: {
    readonly retention: Retentions;
    readonly topics: readonly DesiredTopic[];
    readonly dashboards: readonly DashboardSource[];
  };
  /** Grafana's basic auth header (from .env's admin password), or null. */
  readonly grafanaAuth: string | null;
  /** The compose target's project (null elsewhere or when unreadable). */
  readonly composeProject: { readonly name: string; readonly project: ComposeProject } | null;
  /** The last whole test suite's record (REQ-0.5/M1), or null. */
  readonly ciRun: TestRunRecord | null;
  readonly sleep: (ms: number) => Promise<void>;
}

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
    const r = await http.get(`${prometheus}/api/v1/query?query=${encodeURIComponent(MEMORY_QUERY)}`, 5_000);
    if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
    const v = (JSON.parse(r.body) as { data?: { result?: { value?: [number, string] }[] } }).data?.result?.[0]
      ?.value?.[1];
    if (v === undefined)
      return {
        'REQ-0.1/M2': {
          kind: 'error',
          reason: 'Prometheus has no container memory series (is the kubelet scraped?)',
          fix: 'foundation run 0-4',
          how,
        },
      };
    return { 'REQ-0.1/M2': { kind: 'value', value: Math.round(Number(v) / 2 ** 20), unit: 'MiB', how, fix } };
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

async function memoryObservations(p: ValidationPorts, input: ValidationInput): Promise<Observations> {
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

async function secretObservations(p: ValidationPorts, input: ValidationInput): Promise<Observations> {
  const how = 'gitleaks git --redact (the whole history)';
  const scan = await within(120_000, 'gitleaks', () => p.secrets.scan(input.workspace));
  const hooks = await within(PROBE_TIMEOUT_MS, 'git', () => p.git.hooks());
  const out: Record<string, Observation> = {};
  if (failed(scan))
    out['REQ-0.6/AC2'] = { kind: 'error', reason: scan.failed, fix: `gitleaks git ${input.workspace}`, how };
  else if (scan === null)
    out['REQ-0.6/AC2'] = {
      kind: 'absent',
      reason: 'gitleaks is not installed (foundation run 0-1 says how to get it)',
    };
  else {
    const detail =
      scan.findings === 0
        ? 'no finding in the history'
        : `${scan.findings} finding(s) in ${scan.files.join(', ')}`;
    out['REQ-0.6/AC2'] = {
      kind: 'fact',
      holds: scan.findings === 0,
      detail,
      how,
      fix: `gitleaks git --redact -v ${input.workspace}`,
    };
    out['REQ-0.6/M1'] = {
      kind: 'value',
      value: scan.findings,
      unit: 'findings',
      how,
      fix: 'rotate the secret, then remove it from history',
    };
  }
  if (!failed(hooks))
    out['REQ-0.6/AC3'] = {
      kind: 'fact',
      holds: hooks === 'installed',
      detail:
        hooks === 'installed'
          ? 'lefthook runs gitleaks on every commit (scripts/hooks/secret-scan)'
          : `git hooks: ${hooks}`,
      how: 'the pre-commit hook of this repository',
      fix: 'foundation run 0-1 (installs the hooks)',
    };
  return out;
}

/** Everything the probes saw, by criterion id, and the end-to-end probe's hops. */
export async function observe(
  p: ValidationPorts,
  input: ValidationInput,
): Promise<{ observations: Observations; hops: Hop[] }> {
  const u = input.urls;
  // Independent probes at once; then the load measurement alone (so nothing else skews it), then the
  // broker restart (it interrupts everything else).
  const [e2e, ...parts] = await Promise.all([
    endToEnd(p.http, u, { hopTimeoutMs: 60_000, pollMs: 1_000, sleep: input.sleep }),
    clusterObservations(p, {
      target: input.target,
      clusterName: input.config.clusterName,
      restart: input.request.restartCluster,
      runs: input.runs,
      sleep: input.sleep,
    }),
    secretObservations(p, input),
    templateObservations(p.generator),
    memoryObservations(p, input),
    topicObservations(p.kafka, input.config.kafkaBrokers, input.expected.topics),
    prometheusObservations(p.http, u.prometheus),
    consoleObservations(p.http, u.console),
    retentionObservations(
      p.http,
      { prometheus: u.prometheus, loki: u.loki, tempo: u.traces?.api === 'tempo' ? u.traces.url : null },
      input.expected.retention,
    ),
    dashboardObservations(
      p.http,
      { grafana: u.grafana, prometheus: u.prometheus },
      input.grafanaAuth,
      input.expected.dashboards,
    ),
  ]);
  const bus = await busObservations(p, input);
  const persistence = await persistenceObservations(p, {
    target: input.target,
    brokers: input.config.kafkaBrokers,
    restart: input.request.restartBroker,
    project: input.composeProject?.project ?? null,
    topics: input.expected.topics,
    sleep: input.sleep,
  });
  // The demo's counter rising during the probe is the strongest proof that its metrics are collected.
  const counted = e2e.hops.find((h) => h.name === 'metric' && h.found);
  const scraped: Observations = counted
    ? {
        'REQ-0.3/AC1': {
          kind: 'fact',
          holds: true,
          detail: `the demo's request counter rose in Prometheus during the end-to-end probe (${counted.detail})`,
          how: counted.query,
        },
      }
    : {};
  const observations = Object.assign(
    {},
    taskObservations(input.tasks, input.target),
    runObservations(input.runs),
    ciObservations(input.ciRun),
    e2e.observations,
    ...parts,
    scraped,
    bus,
    persistence,
  ) as Observations;
  return { observations, hops: e2e.hops };
}
