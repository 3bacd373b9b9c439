import { maxHeaderSize, type IncomingMessage } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from '@prometheus-io/client';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { strictJsonBodies } from './body.js';
import { clientErrorHandler, frameworkErrors, notFoundHandler, requireHost } from './client-errors.js';
import { strictSchemas, validatorFactory } from './schemas.js';
import { sendError, toAppError } from './errors.js';
import type { IncomingEvent } from './kafka.js';
import { QUIET_PATHS, httpTelemetry, type HttpMetrics } from './telemetry/index.js';

/** What a service adds to the template: its routes, and the topics it consumes with a handler. */
export interface ServiceDefinition {
  routes(app: FastifyInstance): void | Promise<void>;
  readonly topics: readonly string[];
  handle(event: IncomingEvent): Promise<void>;
}

/** A check's answer: passed or not, and why not when it can say (shown in /readyz's `reasons`). */
export interface CheckResult {
  readonly ready: boolean;
  readonly reason?: string;
}

export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<boolean | CheckResult>;
}

export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Request spans, metrics and logs; null when TELEMETRY=off. */
  readonly http: HttpMetrics | null;
  readonly readiness: readonly ReadinessCheck[];
  readonly service: ServiceDefinition;
  /** Hooks added before the service's routes (the service kit's auth). */
  readonly hooks?: (app: FastifyInstance) => void | Promise<void>;
}

export interface BuiltApp {
  readonly app: FastifyInstance;
  readonly state: { ready: boolean };
  /** What /readyz answers, as a boolean (the gRPC health service follows it). */
  isReady(): Promise<boolean>;
}

async function probe(check: ReadinessCheck): Promise<CheckResult> {
  const timeout = new Promise<CheckResult>((resolve) =>
    setTimeout(() => resolve({ ready: false, reason: 'no answer within 1 s' }), 1_000).unref(),
  );
  const answer = check.check().then(
    (result) => (typeof result === 'boolean' ? { ready: result } : result),
    (error: unknown) => ({ ready: false, reason: error instanceof Error ? error.message : String(error) }),
  );
  return Promise.race([answer, timeout]);
}

/** What a caller's X-Request-ID may be: up to 128 of the characters ids are made of (UUIDs, ULIDs, …). */
const REQUEST_ID = /^[\w.:/+=-]{1,128}$/;

/** Fastify's genReqId: the caller's X-Request-ID when it is one, else `req-<n>` (base 36), as Fastify's own. */
export function requestIds(): (request: IncomingMessage) => string {
  let next = 0;
  return (request) => {
    const given = request.headers['x-request-id'];
    return typeof given === 'string' && REQUEST_ID.test(given) ? given : `req-${(next++).toString(36)}`;
  };
}

/** How often Node looks for requests past their time limit: a tenth of it, 1 s to 30 s. Pure. */
export const checkingInterval = (requestTimeoutMs: number): number =>
  Math.min(30_000, Math.max(1_000, Math.round(requestTimeoutMs / 10)));

/**
 * The HTTP app: probes (/livez, /readyz and the /health, /ready aliases), /metrics, one error shape,
 * a span, RED metrics by route template and an access-log line per request, then the service's routes.
 */
export async function buildApp(deps: AppDeps): Promise<BuiltApp> {
  const state = { ready: true };
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    // Fastify's own two lines per request are off: httpTelemetry writes one access-log line instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    // A request that has not arrived whole in time gets 408 (clientErrorHandler). Node looks for such
    // requests every connectionsCheckingInterval (30 s by default): a tenth of the limit, 1-30 s, so the
    // answer comes that much after it at most. headersTimeout must not exceed it: Node's 60 s default
    // held a slow body for 60 s whatever requestTimeout said (measured on Node 24.21).
    requestTimeout: deps.config.REQUEST_TIMEOUT_MS,
    http: {
      // A request without Host gets the one error shape from requireHost, not Node's empty 400.
      requireHostHeader: false,
      headersTimeout: Math.min(60_000, deps.config.REQUEST_TIMEOUT_MS),
      connectionsCheckingInterval: checkingInterval(deps.config.REQUEST_TIMEOUT_MS),
    },
    // The caller's X-Request-ID when it looks like one, else the next req-<n>: never kilobytes of text or
    // markup echoed in every error and log line (a short secret a caller sends there is its to keep out).
    requestIdHeader: false,
    genReqId: requestIds(),
    return503OnClosing: true,
    // Strict bodies: an unknown field is a 400 (strictSchemas), not silently dropped; body types are not
    // coerced, path and query strings are (validatorFactory). Validation stops at the first problem, as
    // Ajv advises for untrusted input: collecting all of a 64 KiB body's 12,000 wrong items cost 3.4 ms
    // of CPU against 0.13 ms for a valid one.
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    schemaController: { compilersFactory: { buildValidator: validatorFactory() } },
    // What Node's parser or Fastify's router refuse (headers too large, a malformed URL): the same shape.
    clientErrorHandler: clientErrorHandler(maxHeaderSize),
    frameworkErrors,
  });

  strictJsonBodies(app, deps.config.BODY_MAX_DEPTH);
  strictSchemas(app);
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error as Error, {
      bodyLimitBytes: request.routeOptions.bodyLimit ?? deps.config.BODY_LIMIT_BYTES,
      contentType: request.headers['content-type'],
    });
    if (appError.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
    return sendError(appError, request, reply);
  });
  app.setNotFoundHandler(notFoundHandler(app));

  if (deps.http) {
    // One span, one metrics observation and one access-log line per request, from these hooks (no
    // instrumentation patches node:http). Probes and /metrics are left alone unless TELEMETRY_PROBES=on.
    const hooks = httpTelemetry({
      metrics: deps.http,
      logRequests: deps.config.LOG_REQUESTS,
      quietPaths: deps.config.TELEMETRY_PROBES === 'on' ? [] : QUIET_PATHS,
    });
    app.addHook('onRequest', hooks.onRequest);
    app.addHook('onError', hooks.onError);
    app.addHook('onResponse', hooks.onResponse);
    app.addHook('onRequestAbort', hooks.onRequestAbort);
  }
  app.addHook('onRequest', requireHost); // after the span and log hooks: the 400 is traced and logged

  const live = async () => ({ status: 'ok' });
  const readiness = async () => {
    const results = await Promise.all(deps.readiness.map(async (c) => [c.name, await probe(c)] as const));
    const checks = Object.fromEntries(results.map(([name, r]) => [name, r.ready ? 'ok' : 'failing']));
    // Why a failing check fails, when it says (e.g. kafka: "broker unreachable since …: …").
    const reasons = Object.fromEntries(
      results.flatMap(([name, r]) => (!r.ready && r.reason !== undefined ? [[name, r.reason]] : [])),
    );
    return { ok: state.ready && results.every(([, r]) => r.ready), checks, reasons };
  };
  const ready = async (_request: unknown, reply: { status(code: number): unknown }) => {
    const { ok, checks, reasons } = await readiness();
    reply.status(ok ? 200 : 503);
    const status = ok ? 'ok' : state.ready ? 'not ready' : 'shutting down';
    return { status, checks, ...(Object.keys(reasons).length > 0 ? { reasons } : {}) };
  };
  for (const path of ['/livez', '/health']) app.get(path, live);
  for (const path of ['/readyz', '/ready']) app.get(path, ready);
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', deps.registry.contentType);
    return deps.registry.metrics();
  });

  await deps.hooks?.(app);
  await deps.service.routes(app);
  return { app, state, isReady: async () => (await readiness()).ok };
}
