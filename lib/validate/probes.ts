import type { Config } from '../config/schema.js';
import type { TaskResult } from '../model/outcome.js';
import type { Target } from '../model/task.js';
import type { DesiredTopic, Docker, Generator, Git, KafkaApi, Kube } from '../ports/index.js';
import type { BusProbe, HttpProbe, SecretScan } from '../ports/validation.js';
import type { RunSummary } from '../report/summary.js';
import type { Observation, Observations } from './judge.js';
import { runObservations, taskObservations } from './task-evidence.js';
import { templateObservations } from './template-evidence.js';
import { busObservations } from './bus-evidence.js';
import { topicObservations } from './topic-evidence.js';
import { PROBE_TIMEOUT_MS, failed, within } from './within.js';
import { consoleObservations, platformUrl, prometheusObservations } from './platform-evidence.js';

/** What the probes may touch: adapters only. */
export interface ValidationPorts {
  readonly kube: Kube;
  readonly kafka: KafkaApi;
  readonly docker: Docker;
  readonly git: Git;
  readonly generator: Generator;
  readonly bus: BusProbe;
  readonly secrets: SecretScan;
  readonly http: HttpProbe;
}

export interface ValidationInput {
  readonly target: Target;
  readonly config: Config;
  readonly workspace: string;
  /** Every task's read-only check, made just before. */
  readonly tasks: readonly TaskResult[];
  /** Past runs of this workspace, oldest first. */
  readonly runs: readonly RunSummary[];
  readonly skipPerf: boolean;
  /** Settings the sources (k8s/observability/values) promise, to read back from the running platform. */
  readonly expected: { readonly metricsRetention: string; readonly topics: readonly DesiredTopic[] };
  /** The Compose project's name on the compose target (null elsewhere or when unreadable). */
  readonly composeProject: string | null;
}

async function clusterObservations(p: ValidationPorts, input: ValidationInput): Promise<Observations> {
  if (input.target === 'compose') {
    const absent: Observation = {
      kind: 'absent',
      reason: 'target compose has no Kubernetes',
      byChoice: true,
    };
    return Object.fromEntries(
      ['REQ-0.1/AC1', 'REQ-0.1/AC2', 'REQ-0.1/AC3', 'REQ-0.1/AC4', 'REQ-0.1/M1'].map((id) => [id, absent]),
    );
  }
  const v = await within(PROBE_TIMEOUT_MS, 'the Kubernetes API', () => p.kube.version());
  return {
    'REQ-0.1/AC1': failed(v)
      ? {
          kind: 'error',
          reason: v.failed,
          fix: 'foundation run 0-2 (then: kubectl cluster-info)',
          how: 'GET /version',
        }
      : {
          kind: 'fact',
          holds: true,
          detail: `the API server answers: Kubernetes ${String(v)}`,
          how: 'GET /version',
        },
  };
}

async function memoryObservations(p: ValidationPorts, input: ValidationInput): Promise<Observations> {
  if (input.target !== 'compose')
    return {
      'REQ-0.1/M2': {
        kind: 'absent',
        reason: 'on Kubernetes the stack’s memory needs the metrics API, which is not probed yet',
      },
    };
  const name = input.composeProject;
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

/** Everything the probes saw, by criterion id. */
export async function observe(p: ValidationPorts, input: ValidationInput): Promise<Observations> {
  const parts = await Promise.all([
    clusterObservations(p, input),
    secretObservations(p, input),
    busObservations(p, input),
    templateObservations(p.generator),
    memoryObservations(p, input),
    topicObservations(p.kafka, input.config.kafkaBrokers, input.expected.topics),
    prometheusObservations(
      p.http,
      platformUrl(input.config.prometheusUrl, input.target, 'http://127.0.0.1:9090'),
      {
        retention: input.expected.metricsRetention,
      },
    ),
    consoleObservations(p.http, platformUrl(input.config.consoleUrl, input.target, 'http://127.0.0.1:8080')),
  ]);
  return Object.assign(
    {},
    taskObservations(input.tasks, input.target),
    runObservations(input.runs),
    ...parts,
  ) as Observations;
}
