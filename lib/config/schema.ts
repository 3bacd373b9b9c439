import { FoundationError } from '../errors.js';
import type { Target } from '../model/task.js';
import { repoAlias } from '../helm/chart-source.js';
import { LOG_LEVELS, VARIABLES, isSecretName } from './variables.js';

export type LogLevel = (typeof LOG_LEVELS)[number];

/** The validated configuration, frozen and passed down. Secret values are not in it: see `secretValues`. */
export interface Config {
  readonly target: Target;
  readonly concurrency: number;
  readonly logLevel: LogLevel;
  readonly kafkaBrokers: readonly string[];
  /** The k3d cluster's name. */
  readonly clusterName: string;
  /** k3d agent nodes besides the server (the config file's default is 0). */
  readonly k3dAgents: number;
  /** Where the runner sends its traces (one span per task); unset: not traced. */
  readonly otlpEndpoint?: string;
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

/**
 * Validate raw values (environment over .env) against the variable table. Pure.
 * Every problem is reported at once, each naming the variable, its source and what is expected.
 */
export function parseConfig(raw: ReadonlyMap<string, RawValue>): ParsedConfig {
  const problems: string[] = [];
  const out = new Map<string, unknown>();
  for (const v of VARIABLES) {
    const given = raw.get(v.name);
    const text = given?.value ?? v.default;
    if (text === undefined || text === '') continue; // optional and unset: tasks decide what that means
    const parsed = v.schema.safeParse(text);
    if (parsed.success) {
      out.set(v.name, parsed.data);
      continue;
    }
    const shown = v.secret === true ? `a value of ${text.length} characters (hidden)` : JSON.stringify(text);
    problems.push(`${v.name}${given ? ` (from ${given.source})` : ''}: expected ${v.expected}, got ${shown}`);
  }
  if (problems.length > 0) {
    throw new FoundationError(
      'E_CONFIG_INVALID',
      `invalid configuration:\n  - ${problems.join('\n  - ')}`,
      'correct the value(s) named above (in .env, the environment or the flag); .env.example documents each variable',
    );
  }
  const secretValues = [...raw.entries()]
    .filter(([name, { value }]) => value !== '' && isSecretName(name))
    .map(([, { value }]) => value);
  const config: Config = {
    target: out.get('FOUNDATION_TARGET') as Target,
    concurrency: out.get('FOUNDATION_CONCURRENCY') as number,
    logLevel: out.get('LOG_LEVEL') as LogLevel,
    kafkaBrokers: Object.freeze(out.get('KAFKA_BROKERS') as string[]),
    clusterName: out.get('CLUSTER_NAME') as string,
    k3dAgents: out.get('K3D_AGENTS') as number,
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
