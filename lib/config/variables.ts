import * as v from 'valibot';
import { repoVariable } from '../helm/chart-source.js';
import { SECRET_NAME } from '../telemetry/secret-values.js';
import { DEFAULT_TARGET, TARGETS } from './targets.js';
import { brokerList, urlOf, wholeNumber, type ValueSchema } from './value-schemas.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

/** The Kafka clients the runner's probes can use (lib/adapters/bus-client.ts); the first is the default. */
export const KAFKA_CLIENTS = ['platformatic', 'kafkajs'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/** One configuration variable: its schema, default, and whether its value is a secret. */
export interface Variable {
  readonly name: string;
  readonly schema: ValueSchema;
  /** What a valid value looks like, for error messages. */
  readonly expected: string;
  readonly default?: string;
  /** Masked everywhere; never printed, not even in errors. */
  readonly secret?: boolean;
  /** Task 0-1 generates a strong value when the variable is empty. */
  readonly generate?: boolean;
}

/**
 * Every variable Foundation reads. `.env.example` documents each one (a test keeps the two in step).
 * Variables of later tasks are added here as the tasks are built.
 */
export const VARIABLES: readonly Variable[] = [
  {
    name: 'FOUNDATION_TARGET',
    schema: v.picklist(TARGETS),
    expected: `one of ${TARGETS.join(' | ')}`,
    default: DEFAULT_TARGET,
  },
  {
    name: 'FOUNDATION_CONCURRENCY',
    schema: wholeNumber(1, 16),
    expected: 'a whole number from 1 to 16',
    default: '4',
  },
  {
    name: 'FOUNDATION_CANCEL_GRACE_MS',
    schema: wholeNumber(0, 60_000),
    expected: 'a whole number of milliseconds from 0 to 60000',
    default: '5000',
  },
  {
    name: 'LOG_LEVEL',
    schema: v.picklist(LOG_LEVELS),
    expected: `one of ${LOG_LEVELS.join(' | ')}`,
    default: 'info',
  },
  {
    name: 'CLUSTER_NAME',
    schema: v.pipe(v.string(), v.regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/), v.maxLength(32)),
    expected: 'a DNS-1123 label of at most 32 characters, e.g. foundation',
    default: 'foundation',
  },
  {
    name: 'K3D_AGENTS',
    schema: wholeNumber(0, 3),
    expected: 'a whole number from 0 to 3 (each agent costs about 275 MB)',
    default: '0',
  },
  {
    name: 'FOUNDATION_COMPOSE_FILE',
    schema: v.pipe(v.string(), v.minLength(1), v.regex(/\.ya?ml$/)),
    expected: 'the path of a Compose file (.yml or .yaml), relative to Foundation or absolute',
    default: 'compose/docker-compose.yml',
  },
  {
    name: 'KAFKA_BROKERS',
    schema: brokerList,
    expected: 'comma-separated host:port pairs, e.g. localhost:19092',
    default: 'localhost:19092',
  },
  {
    name: 'KAFKA_CLIENT',
    schema: v.picklist(KAFKA_CLIENTS),
    expected: `one of ${KAFKA_CLIENTS.join(' | ')} (the Kafka client of foundation validate's bus probes)`,
    default: 'platformatic',
  },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    schema: urlOf('http', 'https'),
    expected: 'an http(s) URL of an OTLP/HTTP endpoint, e.g. http://localhost:4318',
  },
  {
    name: 'TOOLS_MIRROR',
    schema: urlOf('http', 'https'),
    expected: 'the http(s) URL of a mirror holding the release downloads under <host>/<path>',
  },
  {
    name: 'PROMETHEUS_URL',
    schema: urlOf('http', 'https'),
    expected: 'the http(s) URL of the platform’s Prometheus, e.g. http://localhost:9090',
  },
  {
    name: 'CONSOLE_URL',
    schema: urlOf('http', 'https'),
    expected: 'the http(s) URL of Redpanda Console, e.g. http://localhost:8080',
  },
  {
    name: 'LOKI_URL',
    schema: urlOf('http', 'https'),
    expected: 'the http(s) URL of the platform’s Loki, e.g. http://localhost:3100',
  },
  {
    name: 'TEMPO_URL',
    schema: urlOf('http', 'https'),
    expected: 'the http(s) URL of the platform’s trace query API (Tempo), e.g. http://localhost:3200',
  },
  {
    name: 'TRACES_API',
    schema: v.picklist(['tempo', 'jaeger']),
    expected: 'tempo or jaeger: which query API TEMPO_URL speaks',
    default: 'tempo',
  },
  {
    name: 'GRAFANA_URL',
    schema: urlOf('http', 'https'),
    expected: 'the http(s) URL of the platform’s Grafana, e.g. http://localhost:3000',
  },
  {
    name: 'ALERTMANAGER_URL',
    schema: urlOf('http', 'https'),
    expected: 'the http(s) URL of the platform’s Alertmanager, e.g. http://localhost:9093',
  },
  {
    name: 'DEMO_URL',
    schema: urlOf('http', 'https'),
    expected: 'the http(s) URL of the demo service, e.g. http://localhost:3001',
  },
  {
    name: 'SERVICE_BASE_IMAGE',
    // An image reference: [registry/]name[:tag][@sha256:digest], no spaces or shell characters.
    schema: v.pipe(v.string(), v.regex(/^[a-z0-9][a-zA-Z0-9._/:-]*(@sha256:[0-9a-f]{64})?$/)),
    expected: 'an image reference, e.g. registry.example.com/library/node:24-bookworm-slim',
  },
  {
    name: 'SERVICE_BUILD_NPMRC',
    schema: v.pipe(v.string(), v.minLength(1)),
    expected: 'the path of an .npmrc file (relative to the workspace or absolute)',
  },
  {
    name: 'SERVICE_BUILD_CA',
    schema: v.pipe(v.string(), v.minLength(1)),
    expected: 'the path of a PEM file of CA certificates (relative to the workspace or absolute)',
  },
  {
    name: 'SERVICE_BUILDER',
    schema: v.picklist(['buildkit', 'legacy']),
    expected:
      'buildkit (secrets mounted for one step) or legacy (DOCKER_BUILDKIT=0: the CA as a build argument, no .npmrc)',
    default: 'buildkit',
  },
  ...['prometheus-community', 'grafana-community', 'grafana'].map((alias): Variable => ({
    name: repoVariable(alias),
    schema: urlOf('http', 'https', 'oci'),
    expected: `the URL of the "${alias}" chart repository (https://… or oci://…)`,
  })),
  {
    name: 'GRAFANA_ADMIN_PASSWORD',
    schema: v.pipe(v.string(), v.minLength(16), v.maxLength(256)),
    expected: 'a secret of 16 to 256 characters (task 0-1 generates one when empty)',
    secret: true,
    generate: true,
  },
  ...['POSTGRES_PASSWORD', 'REDIS_PASSWORD'].map((name): Variable => ({
    name,
    // Services receive it inside DATABASE_URL / REDIS_URL: only characters a URL carries as they are.
    schema: v.pipe(v.string(), v.minLength(16), v.maxLength(256), v.regex(/^[A-Za-z0-9._~-]+$/)),
    expected:
      'a secret of 16 to 256 letters, digits, ".", "_", "~" or "-" (task 0-1 generates one when empty)',
    secret: true,
    generate: true,
  })),
];

/** Whether a setting is secret: as Foundation's table says, or by its name (SECRET_NAME) when unknown. */
export function isSecretName(name: string): boolean {
  const known = VARIABLES.find((variable) => variable.name === name);
  return known !== undefined ? known.secret === true : SECRET_NAME.test(name);
}
