import { z } from 'zod';
import { settingSecrets } from './telemetry/secret-values.js';
// kit:postgres
import { postgresSettings } from './kit/postgres/index.js';
// kit:end
// kit:redis
import { redisSettings } from './kit/redis/index.js';
// kit:end
// kit:http-client
import { httpClientSettings } from './kit/http-client/index.js';
// kit:end
// kit:grpc
import { grpcSettings } from './kit/grpc/index.js';
// kit:end
// kit:auth
import { authSettings } from './kit/auth/index.js';
// kit:end

const flag = z.enum(['on', 'off']);

/** Who the service is and how much it logs: what every log line of it, or of a job of it, needs. */
export const identitySettings = {
  SERVICE_NAME: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
    .default('__SERVICE_NAME__'),
  SERVICE_VERSION: z.string().min(1).default('0.1.0'),
  DEPLOYMENT_ENVIRONMENT: z.string().min(1).default('local'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
};

/** Every setting the service reads from its environment, validated once at start. */
const schema = z.object({
  ...identitySettings,
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** The level of the one access-log line per request, or off. */
  LOG_REQUESTS: z.enum(['info', 'debug', 'off']).default('info'),
  /** Kafka bootstrap servers, comma-separated host:port. Unset: no Kafka (readiness does not check it). */
  KAFKA_BROKERS: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/, {
      message: 'expected host:port[,host:port…]',
      abort: true, // not also "a port is outside 1-65535" when there is no port at all
    })
    .refine(
      (list) =>
        list.split(',').every((b) => Number(b.split(':')[1]) >= 1 && Number(b.split(':')[1]) <= 65_535),
      'a port is outside 1-65535',
    )
    .optional(),
  KAFKA_GROUP_ID: z.string().min(1).optional(),
  /** The Kafka client behind the EventBus: @platformatic/kafka (default) or kafkajs. */
  KAFKA_CLIENT: z.enum(['platformatic', 'kafkajs']).default('platformatic'),
  /** The most a publish waits for Kafka's acknowledgement; then it fails (POST /events: 503, Retry-After). */
  KAFKA_PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /** Reconnecting to an unreachable broker: full-jitter back-off from 0.1 s doubling up to this cap. */
  KAFKA_RECONNECT_MAX_DELAY_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** OTLP/HTTP endpoint for traces, e.g. http://tempo:4318. Unset: spans are not exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({
      protocol: /^https?$/,
      error: 'expected an http:// or https:// URL (OTLP/HTTP, e.g. http://tempo:4318)',
    })
    .optional(),
  /** Sampling is parent-based by ratio: the ratio is OTEL_TRACES_SAMPLER_ARG; no other sampler is read. */
  OTEL_TRACES_SAMPLER: z
    .literal('parentbased_traceidratio', {
      error: 'sampling is always parentbased_traceidratio: set OTEL_TRACES_SAMPLER_ARG (0-1) instead',
    })
    .optional(),
  /** The share of new traces sampled, 0-1; a request carrying a trace context follows its caller. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  /** off: no tracing, no request metrics, no request logs (for benchmarks and debugging only). */
  TELEMETRY: flag.default('on'),
  /** on: probes and /metrics are traced, counted and logged like any route (off: they would drown the rest). */
  TELEMETRY_PROBES: flag.default('off'),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(10 * 1024 * 1024)
    .default(64 * 1024),
  /** JSON bodies nesting objects/arrays deeper than this get 400 (they could only be an attack). */
  BODY_MAX_DEPTH: z.coerce.number().int().min(1).max(256).default(32),
  /**
   * The most a request may take to arrive whole, headers and body: a client sending slower gets 408 and
   * its connection closed, so slow uploads cannot hold connections open (Fastify's default is no limit).
   */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /** After SIGTERM, how long /readyz answers 503 before the server closes (lets endpoints update). */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** The most a graceful shutdown may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(15_000),
  // kit:any
  // The service kit's settings (docs/<part>.md), validated with the rest.
  // kit:end
  // kit:postgres
  ...postgresSettings,
  // kit:end
  // kit:redis
  ...redisSettings,
  // kit:end
  // kit:http-client
  ...httpClientSettings,
  // kit:end
  // kit:grpc
  ...grpcSettings,
  // kit:end
  // kit:auth
  ...authSettings,
  // kit:end
});

export type Config = Readonly<z.infer<typeof schema>>;
export type IdentitySettings = Readonly<z.infer<z.ZodObject<typeof identitySettings>>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** zod's words where they would puzzle ("received NaN", "expected int"); undefined keeps zod's. */
function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.expected === 'number') return 'expected a number';
  if (issue.expected === 'int') return 'expected a whole number';
  return undefined;
}

/** Validate the environment. Every problem is named at once; values are never echoed (they may be secret). */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  return loadSettings(schema.shape, env, acrossSettings);
}

/**
 * What is wrong between settings each valid alone, as `NAME: problem` lines: named with every other
 * problem at once, not only after the rest are right. Pure.
 */
function acrossSettings(input: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  // kit:grpc
  const { PORT, HOST, GRPC_PORT, GRPC_HOST } = schema.shape;
  const listen = z.object({ PORT, HOST, GRPC_PORT, GRPC_HOST }).safeParse(input);
  const clash = listen.success ? portClash(listen.data) : undefined;
  if (clash !== undefined) problems.push(`GRPC_PORT: ${clash}`);
  // kit:end
  return problems;
}
// kit:grpc

/**
 * Whether two listen addresses share a port space: the same, `::` (dual-stack: every address), `0.0.0.0`
 * and any IPv4 address or name, `localhost` and a loopback address. Two other addresses do not. Pure.
 */
function overlap(a: string, b: string): boolean {
  const v6 = (host: string): boolean => host.includes(':');
  const loopback = (host: string): boolean => host === '127.0.0.1' || host === '::1';
  return (
    a === b ||
    a === '::' ||
    b === '::' ||
    (a === '0.0.0.0' && !v6(b)) ||
    (b === '0.0.0.0' && !v6(a)) ||
    (a === 'localhost' && loopback(b)) ||
    (b === 'localhost' && loopback(a))
  );
}

/**
 * Why the HTTP and gRPC servers cannot both listen as set, or undefined: the same port on the same or a
 * wildcard address (gRPC binds first, and HTTP then failed with "port in use", by the service itself). Pure.
 */
export function portClash(s: {
  readonly PORT: number;
  readonly HOST: string;
  readonly GRPC_PORT: number;
  readonly GRPC_HOST: string;
}): string | undefined {
  return s.GRPC_PORT !== 0 && s.GRPC_PORT === s.PORT && overlap(s.HOST, s.GRPC_HOST)
    ? `is PORT too (${s.PORT}): give the gRPC server a port of its own`
    : undefined;
}
// kit:end

/**
 * Validate only the settings in `shape` (a job that needs a few of the service's settings, not all of
 * them), with loadConfig's messages; the rest of the environment is ignored.
 */
export function loadSettings<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv,
  /** Problems between settings (`NAME: problem` lines), reported with the others. */
  across: (input: Readonly<Record<string, unknown>>) => string[] = () => [],
): Readonly<z.infer<z.ZodObject<S>>> {
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = z.object(shape).safeParse(input, { error: issueMessage });
  // A required setting that is absent says so, whatever its schema's own message ("received undefined").
  const problems = (parsed.success ? [] : parsed.error.issues).map((issue) => {
    const key = issue.path.join('.');
    const absent = issue.path.length === 1 && input[key] === undefined;
    return `${key}: ${absent ? 'not set (required)' : issue.message}`;
  });
  problems.push(...across(input));
  if (parsed.success && problems.length === 0) return Object.freeze(parsed.data);
  throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/**
 * The secrets among the settings, to mask in logs: the whole value of a setting named like a secret
 * (PAYMENTS_API_KEY, WEBHOOK_URL…) and, for every URL setting (DATABASE_URL, REDIS_URL, a collector
 * endpoint, one of your own), the URL and its credentials: the password, raw and decoded, and the values
 * of credential parameters (`?api_key=…`, `?sig=…`, `#access_token=…`).
 */
export const secretsIn: (config: Readonly<Record<string, unknown>>) => string[] = settingSecrets;
