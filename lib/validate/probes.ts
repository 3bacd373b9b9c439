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
import type { TemplateFile } from '../ports/generator.js';
import type { BusProbe, HttpProbe, SecretScan } from '../ports/validation.js';
import type { RunSummary } from '../report/summary.js';
import { busObservations } from './bus-evidence.js';
import { ciObservations, type TestRunRecord } from './ci-evidence.js';
import { ciWorkflowObservations } from './ci-workflow-evidence.js';
import { deployObservations } from './deploy-evidence.js';
import type { DeployRecord } from '../deploy/plan.js';
import { clusterObservations } from './cluster-evidence.js';
import type { ValidationRequest } from './context.js';
import { dashboardObservations, type DashboardSource } from './dashboard-evidence.js';
import { endToEnd, slowestQuery, type EndToEndUrls, type Hop } from './e2e.js';
import { gitObservations } from './git-evidence.js';
import { credentialObservations } from './credential-observation.js';
import { freshCloneObservations } from './clone-evidence.js';
import { auditObservations } from './audit-evidence.js';
import type { Observations } from './judge.js';
import { persistenceObservations } from './persistence-evidence.js';
import { consoleObservations, prometheusObservations } from './platform-evidence.js';
import { memoryObservations, secretObservations } from './resource-evidence.js';
import { retentionObservations, type Retentions } from './retention-evidence.js';
import { runObservations, taskObservations } from './task-evidence.js';
import { templateObservations } from './template-evidence.js';
import { topicObservations } from './topic-evidence.js';

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
  /** The workspace's .github/workflows/ci.yml (REQ-0.5/AC1–AC4), or null. */
  readonly ciWorkflow: string | null;
  /** The last whole test suite's record (REQ-0.5/M1), or null. */
  readonly ciRun: TestRunRecord | null;
  /** Each service Foundation deploys, its build and deploy files (REQ-0.6/AC4): name → files. */
  readonly services: Readonly<Record<string, readonly TemplateFile[]>>;
  /** The last `foundation deploy` (REQ-0.5/AC5–AC7, M2), or null. */
  readonly lastDeploy: DeployRecord | null;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The runs that are evidence for a target: a k3d run proves nothing about Compose. Pure. */
export const observedRuns = (runs: readonly RunSummary[], target: Target): RunSummary[] =>
  runs.filter((r) => r.target === target);

/** Everything the probes saw, by criterion id, and the end-to-end probe's hops. */
export async function observe(
  p: ValidationPorts,
  input: ValidationInput,
): Promise<{ observations: Observations; hops: Hop[] }> {
  const u = input.urls;
  const runs = observedRuns(input.runs, input.target);
  // Independent probes at once; then the load measurement alone (so nothing else skews it), then the
  // broker restart (it interrupts everything else).
  const [e2e, ...parts] = await Promise.all([
    endToEnd(p.http, u, { hopTimeoutMs: 60_000, pollMs: 1_000, sleep: input.sleep }),
    clusterObservations(p, {
      target: input.target,
      clusterName: input.config.clusterName,
      restart: input.request.restartCluster,
      runs,
      sleep: input.sleep,
    }),
    secretObservations(p, input),
    gitObservations(p),
    templateObservations(p.generator),
    credentialObservations(p.generator, input.services),
    memoryObservations(p, input),
    topicObservations(p.kafka, input.config.kafkaBrokers, input.expected.topics),
    prometheusObservations(p.http, u.prometheus),
    consoleObservations(p.http, u.console),
    auditObservations(p.http, u.loki, input.target),
    retentionObservations(
      p.http,
      {
        prometheus: u.prometheus,
        loki: u.loki,
        tempo: u.traces?.api === 'tempo' ? u.traces.url : null,
        jaeger: u.traces?.api === 'jaeger' ? u.traces.url : null,
      },
      input.expected.retention,
    ),
    dashboardObservations(p.http, u.grafana, input.grafanaAuth, input.expected.dashboards),
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
    runObservations(runs),
    freshCloneObservations(runs),
    ciObservations(input.ciRun),
    ciWorkflowObservations(input.ciWorkflow),
    deployObservations(input.lastDeploy, input.target, Date.now()),
    e2e.observations,
    ...parts,
    scraped,
    bus,
    persistence,
  ) as Observations;
  const m2 = slowestQuery(observations['REQ-0.3/M2'], e2e.hops);
  return { observations: m2 ? { ...observations, 'REQ-0.3/M2': m2 } : observations, hops: e2e.hops };
}
