/**
 * The Phase 0 acceptance criteria and success metrics `foundation validate` judges, with their stable ids
 * (`REQ-0.2/M2`). Every one appears in the report as PASS, FAIL or NOT MEASURED — never left out.
 */
export interface Requirement {
  readonly id: string;
  readonly title: string;
}

/** A bound a measured figure is judged against: `value < 50 ms`, `value >= 10000 msg/s`. */
export interface Bound {
  readonly op: '<' | '<=' | '>' | '>=' | '=';
  readonly value: number;
  readonly unit: string;
}

export interface Criterion {
  readonly id: string;
  readonly requirement: string;
  readonly text: string;
  readonly bound?: Bound;
}

export const REQUIREMENTS: readonly Requirement[] = [
  { id: 'REQ-0.1', title: 'Local Kubernetes cluster' },
  { id: 'REQ-0.2', title: 'Event bus' },
  { id: 'REQ-0.3', title: 'Observability' },
  { id: 'REQ-0.4', title: 'Infrastructure as code' },
  { id: 'REQ-0.5', title: 'CI/CD' },
  { id: 'REQ-0.6', title: 'Secrets' },
  { id: 'REQ-0.7', title: 'Development environment' },
  { id: 'REQ-0.8', title: 'Service template' },
];

const c = (id: string, text: string, bound?: Bound): Criterion => ({
  id,
  requirement: id.slice(0, id.indexOf('/')),
  text,
  ...(bound ? { bound } : {}),
});
const MIN = 60_000;

export const CRITERIA: readonly Criterion[] = [
  c('REQ-0.1/AC1', 'the cluster answers (kubectl cluster-info)'),
  c('REQ-0.1/AC2', 'a deployed test service starts and is reachable'),
  c('REQ-0.1/AC3', 'after a cluster restart, deployed services are still there'),
  c('REQ-0.1/AC4', 'the cluster can be wiped and recreated completely'),
  c('REQ-0.1/M1', 'cluster start-up', { op: '<', value: 2 * MIN, unit: 'ms' }),
  c('REQ-0.1/M2', 'memory of the whole stack', { op: '<', value: 4096, unit: 'MiB' }),
  c('REQ-0.1/M3', 'uptime 99 %'),
  c('REQ-0.2/AC1', 'a published event reaches every subscriber (a consumer group each)'),
  c('REQ-0.2/AC2', 'a consumer that was offline receives what was published meanwhile'),
  c('REQ-0.2/AC3', 'a UI shows topics and messages (Redpanda Console answers)'),
  c('REQ-0.2/AC4', 'events older than the retention are cleaned up (7 days default)'),
  c('REQ-0.2/AC5', 'after a broker restart, topics and messages are still there'),
  c('REQ-0.2/M1', 'throughput', { op: '>', value: 10_000, unit: 'msg/s' }),
  c('REQ-0.2/M2', 'end-to-end latency p95', { op: '<', value: 50, unit: 'ms' }),
  c('REQ-0.2/M3', 'messages persisted to disk'),
  c('REQ-0.3/AC1', 'service metrics are collected automatically (a scrape finds the demo)'),
  c('REQ-0.3/AC2', 'Grafana has dashboards for all services'),
  c('REQ-0.3/AC3', 'alerts fire when thresholds are exceeded'),
  c('REQ-0.3/AC4', 'service logs are aggregated centrally'),
  c('REQ-0.3/AC5', 'a log search answers', { op: '<', value: 1000, unit: 'ms' }),
  c('REQ-0.3/AC6', 'filtering logs by service and time returns only matching lines'),
  c('REQ-0.3/AC7', 'a request across services shows one complete trace'),
  c('REQ-0.3/AC8', 'the slow service in a trace is identifiable'),
  c('REQ-0.3/AC9', 'all spans show timing'),
  c('REQ-0.3/M1', 'retention: metrics 30 d, logs 14 d, traces 7 d'),
  c('REQ-0.3/M2', 'query response', { op: '<', value: 1000, unit: 'ms' }),
  c('REQ-0.3/M3', 'dashboard load', { op: '<', value: 3000, unit: 'ms' }),
  c('REQ-0.4/AC1', 'one command creates the complete infrastructure'),
  c('REQ-0.4/AC2', 'destroy then recreate gives the same result'),
  c('REQ-0.4/AC3', 'changes apply incrementally (only what changed)'),
  c('REQ-0.4/AC4', 'everything is in git'),
  c('REQ-0.4/AC5', 'a fresh clone recreates it'),
  c('REQ-0.4/M1', 'full environment creation', { op: '<', value: 10 * MIN, unit: 'ms' }),
  c('REQ-0.4/M2', 'configuration drift (plan finds none)', { op: '=', value: 0, unit: 'tasks' }),
  c('REQ-0.5/AC1', 'tests run on every push'),
  c('REQ-0.5/AC2', 'quality checks run'),
  c('REQ-0.5/AC3', 'images are built'),
  c('REQ-0.5/AC4', 'the build is marked successful only when all pass'),
  c('REQ-0.5/AC5', 'main is deployable with one command'),
  c('REQ-0.5/AC6', 'deployment progress is visible'),
  c('REQ-0.5/AC7', 'health checks verify the deployed services'),
  c('REQ-0.5/M1', 'CI duration', { op: '<', value: 5 * MIN, unit: 'ms' }),
  c('REQ-0.5/M2', 'deployment', { op: '<', value: 2 * MIN, unit: 'ms' }),
  c('REQ-0.6/AC1', 'secrets come from one place (.env locally, a Kubernetes Secret in the cluster)'),
  c('REQ-0.6/AC2', 'no secret in the repository'),
  c('REQ-0.6/AC3', 'the pre-commit hook detects and blocks secrets'),
  c('REQ-0.6/AC4', 'services get credentials at runtime, not at build time'),
  c('REQ-0.6/AC5', 'secrets reload without restart (nice to have)'),
  c('REQ-0.6/M1', 'secrets in code', { op: '=', value: 0, unit: 'findings' }),
  c('REQ-0.6/M2', 'secret access is logged'),
  c('REQ-0.7/AC1', 'following the guide gives a working environment', {
    op: '<',
    value: 30 * MIN,
    unit: 'ms',
  }),
  c('REQ-0.7/AC2', 'a verification command confirms every dependency'),
  c('REQ-0.7/AC3', 'one command starts everything, healthy'),
  c('REQ-0.7/AC4', 'a second developer gets the same environment (macOS and Linux)'),
  c('REQ-0.8/AC1', 'one command creates a new service with the standard structure', {
    op: '<',
    value: MIN,
    unit: 'ms',
  }),
  c('REQ-0.8/AC2', 'the new service exposes metrics, structured logs and health checks'),
  c('REQ-0.8/AC3', 'it ships a Dockerfile and Kubernetes manifests that deploy'),
  c('REQ-0.8/AC4', 'its test framework is configured'),
];
