import { closest, distance } from 'fastest-levenshtein';
import { safeParse, type BaseIssue } from 'valibot';
import { FoundationError } from '../errors.js';
import type { Target } from './targets.js';
import { repoAlias } from '../helm/chart-source.js';
import type { ValueSchema } from './value-schemas.js';
import { urlCredentials } from '../telemetry/secret-values.js';
import { LOG_LEVELS, VARIABLES, isSecretName, type KafkaClientName, type Variable } from './variables.js';

export type LogLevel = (typeof LOG_LEVELS)[number];

/** The validated configuration, frozen and passed down. Secret values are not in it: see `secretValues`. */
export interface Config {
  readonly target: Target;
  readonly concurrency: number;
  /** After Ctrl+C: how long child processes get to end after SIGTERM before they are SIGKILLed. */
  readonly cancelGraceMs: number;
  readonly logLevel: LogLevel;
  readonly kafkaBrokers: readonly string[];
  /** The Kafka client of validate's bus probes (KAFKA_CLIENT; @platformatic/kafka unless kafkajs). */
  readonly kafkaClient: KafkaClientName;
  /** The k3d cluster's name. */
  readonly clusterName: string;
  /** k3d agent nodes besides the server (the config file's default is 0). */
  readonly k3dAgents: number;
  /** The Compose project of the compose target (task 0-7), relative to Foundation's folder or absolute. */
  readonly composeFile: string;
  /** The platform's Prometheus and Redpanda Console as this machine reaches them (validate's probes). */
  readonly prometheusUrl?: string;
  readonly consoleUrl?: string;
  readonly lokiUrl?: string;
  readonly tempoUrl?: string;
  /** Which query API TEMPO_URL speaks (a Jaeger query endpoint works too). */
  readonly tracesApi: 'tempo' | 'jaeger';
  readonly grafanaUrl?: string;
  /** The platform's Alertmanager as this machine reaches it (`foundation status`). */
  readonly alertmanagerUrl?: string;
  readonly demoUrl?: string;
  /** Service image builds: another base image (the Dockerfile's NODE_IMAGE), an .npmrc and a CA bundle. */
  readonly serviceBaseImage?: string;
  readonly serviceBuildNpmrc?: string;
  readonly serviceBuildCa?: string;
  /** Which Docker builder task 0-10 builds with (lib/deploy/legacy-dockerfile.ts for the legacy one). */
  readonly serviceBuilder: 'buildkit' | 'legacy';
  /** Where the runner sends its traces (one span per task); unset: not traced. */
  readonly otlpEndpoint?: string;
  /** A mirror of the tools' release downloads (task 0-1), for networks that cannot reach upstream. */
  readonly toolsMirror?: string;
  /** Chart repository URLs set in HELM_REPO_* (alias → URL); others come from `helm repo add`. */
  readonly helmRepos: Readonly<Record<string, string>>;
  /** Names of secret variables that have a value (the values stay out of Config). */
  readonly secretsSet: readonly string[];
}

/** A raw value and where it came from, for error messages. */
export interface RawValue {
  readonly value: string;
  readonly source: string;
}

export interface ParsedConfig {
  readonly config: Config;
  /** Every secret value seen (known secret variables and secret-looking names), for the redactor. */
  readonly secretValues: readonly string[];
}

/** The closest allowed value, when the given one is a likely typo of it. */
function suggestion(options: readonly string[], text: string): string {
  if (options.length === 0) return '';
  const best = closest(text.toLowerCase(), [...options]);
  return distance(text.toLowerCase(), best) <= Math.max(2, Math.floor(best.length / 3))
    ? ` (did you mean ${best}?)`
    : '';
}

/** The allowed values of a picklist variable (its schema's `options`), for the suggestion. */
function optionsOf(schema: ValueSchema): string[] {
  const { options } = schema as { options?: unknown };
  return Array.isArray(options) ? options.map(String) : [];
}

/** Issues that say the value has the wrong length (strings) or size (numbers). */
const OUT_OF_RANGE = new Set(['min_length', 'max_length', 'min_value', 'max_value']);

/**
 * Why a value is invalid, in words that quote nothing of it: a value in .env may be a secret pasted into
 * the wrong variable. Raw-transform issues are this project's own messages (broker lists), which quote
 * nothing; valibot's own messages quote the value, so they are never shown.
 */
function whyInvalid(v: Variable, text: string, issues: readonly BaseIssue<unknown>[]): string {
  const issue = issues[0];
  const custom = issues.filter((i) => i.type === 'raw_transform').map((i) => i.message);
  if (custom.length > 0) return custom.join('; ');
  if (issue?.type === 'picklist')
    return `the value is not one of them${v.secret === true ? '' : suggestion(optionsOf(v.schema), text)}`;
  // NaN is not a number; a fraction or Infinity is not a whole one.
  if (issue?.type === 'number' || issue?.type === 'integer') return 'the value is not of that kind';
  if (issue !== undefined && OUT_OF_RANGE.has(issue.type))
    return v.secret === true ? `the value has ${text.length} characters` : 'the value is out of range';
  return 'the value is not in that form';
}

/** What of a setting is secret: the whole value of a secret-named one, else the credentials of a URL. */
export function secretForms(name: string, value: string): string[] {
  return isSecretName(name) ? [value, ...urlCredentials(value)] : urlCredentials(value);
}

/**
 * Validate raw values (environment over .env) against the variable table. Pure.
 * Every problem is reported at once, each naming the variable, its source and what is expected — never
 * the value itself.
 */
export function parseConfig(raw: ReadonlyMap<string, RawValue>): ParsedConfig {
  const problems: string[] = [];
  const out = new Map<string, unknown>();
  for (const v of VARIABLES) {
    const given = raw.get(v.name);
    // Set but empty (KAFKA_BROKERS= in .env) is unset: the default applies, as it does when absent.
    const text = given !== undefined && given.value !== '' ? given.value : v.default;
    if (text === undefined || text === '') continue; // optional and unset: tasks decide what that means
    const parsed = safeParse(v.schema, text);
    if (parsed.success) {
      out.set(v.name, parsed.output);
      continue;
    }
    const from = given ? ` (from ${given.source})` : '';
    problems.push(`${v.name}${from}: expected ${v.expected}; ${whyInvalid(v, text, parsed.issues)}`);
  }
  if (problems.length > 0) {
    throw new FoundationError(
      'E_CONFIG_INVALID',
      `invalid configuration (values are never shown):\n  - ${problems.join('\n  - ')}`,
      'correct the value(s) named above (in .env, the environment or the flag); .env.example documents each variable',
    );
  }
  const secretValues = [...raw.entries()].flatMap(([name, { value }]) =>
    value === '' ? [] : secretForms(name, value),
  );
  const config: Config = {
    target: out.get('FOUNDATION_TARGET') as Target,
    concurrency: out.get('FOUNDATION_CONCURRENCY') as number,
    cancelGraceMs: out.get('FOUNDATION_CANCEL_GRACE_MS') as number,
    logLevel: out.get('LOG_LEVEL') as LogLevel,
    kafkaBrokers: Object.freeze(out.get('KAFKA_BROKERS') as string[]),
    kafkaClient: out.get('KAFKA_CLIENT') as KafkaClientName,
    clusterName: out.get('CLUSTER_NAME') as string,
    k3dAgents: out.get('K3D_AGENTS') as number,
    composeFile: out.get('FOUNDATION_COMPOSE_FILE') as string,
    ...(out.has('PROMETHEUS_URL') ? { prometheusUrl: out.get('PROMETHEUS_URL') as string } : {}),
    ...(out.has('TOOLS_MIRROR') ? { toolsMirror: out.get('TOOLS_MIRROR') as string } : {}),
    ...(out.has('CONSOLE_URL') ? { consoleUrl: out.get('CONSOLE_URL') as string } : {}),
    ...(out.has('LOKI_URL') ? { lokiUrl: out.get('LOKI_URL') as string } : {}),
    ...(out.has('TEMPO_URL') ? { tempoUrl: out.get('TEMPO_URL') as string } : {}),
    tracesApi: out.get('TRACES_API') as 'tempo' | 'jaeger',
    ...(out.has('GRAFANA_URL') ? { grafanaUrl: out.get('GRAFANA_URL') as string } : {}),
    ...(out.has('ALERTMANAGER_URL') ? { alertmanagerUrl: out.get('ALERTMANAGER_URL') as string } : {}),
    ...(out.has('DEMO_URL') ? { demoUrl: out.get('DEMO_URL') as string } : {}),
    ...(out.has('SERVICE_BASE_IMAGE') ? { serviceBaseImage: out.get('SERVICE_BASE_IMAGE') as string } : {}),
    ...(out.has('SERVICE_BUILD_NPMRC')
      ? { serviceBuildNpmrc: out.get('SERVICE_BUILD_NPMRC') as string }
      : {}),
    ...(out.has('SERVICE_BUILD_CA') ? { serviceBuildCa: out.get('SERVICE_BUILD_CA') as string } : {}),
    serviceBuilder: out.get('SERVICE_BUILDER') as 'buildkit' | 'legacy',
    ...(out.has('OTEL_EXPORTER_OTLP_ENDPOINT')
      ? { otlpEndpoint: out.get('OTEL_EXPORTER_OTLP_ENDPOINT') as string }
      : {}),
    helmRepos: Object.freeze(
      Object.fromEntries(
        [...out.entries()]
          .filter(([name]) => name.startsWith('HELM_REPO_'))
          .map(([name, url]) => [repoAlias(name), url as string]),
      ),
    ),
    secretsSet: Object.freeze(
      VARIABLES.filter((v) => v.secret === true && out.has(v.name)).map((v) => v.name),
    ),
  };
  return { config: Object.freeze(config), secretValues: Object.freeze(secretValues) };
}
