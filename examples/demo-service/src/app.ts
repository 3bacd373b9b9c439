import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from '@prometheus-io/client';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { strictJsonBodies } from './body.js';
import { AppError, sendError, toAppError } from './errors.js';
import type { IncomingEvent } from './kafka.js';
import type { HttpMetrics } from './telemetry/index.js';

/** What a service adds to the template: its routes, and the topics it consumes with a handler. */
export interface ServiceDefinition {
  routes(app: FastifyInstance): void | Promise<void>;
  readonly topics: readonly string[];
  handle(event: IncomingEvent): Promise<void>;
}

export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<boolean>;
}

export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Request metrics and request logs; null when TELEMETRY=off. */
  readonly http: HttpMetrics | null;
  readonly readiness: readonly ReadinessCheck[];
  readonly service: ServiceDefinition;
}

/** Probes and /metrics are not counted, traced or logged per request: they would drown the signal. */
export const OPERATIONAL_PATHS = ['/livez', '/readyz', '/health', '/ready', '/metrics'];

async function probe(check: ReadinessCheck): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1_000).unref());
  return Promise.race([check.check().catch(() => false), timeout]);
}

/**
 * The HTTP app: probes (/livez, /readyz and the /health, /ready aliases), /metrics, one error shape,
 * RED metrics by route template, a request log line carrying the trace id, then the service's routes.
 */
export async function buildApp(deps: AppDeps): Promise<{ app: FastifyInstance; state: { ready: boolean } }> {
  const state = { ready: true };
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    disableRequestLogging: true,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    return503OnClosing: true,
    // Strict bodies: an unknown field is a 400, not silently dropped; types are not coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
  });

  strictJsonBodies(app, deps.config.BODY_MAX_DEPTH);
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error as Error);
    if (appError.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
    return sendError(appError, request, reply);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      new AppError('NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0] ?? ''}`),
      request,
      reply,
    ),
  );

  if (deps.http) {
    const http = deps.http;
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url;
      if (route !== undefined && OPERATIONAL_PATHS.includes(route)) return;
      const seconds = reply.elapsedTime / 1_000;
      http.observe(request.method, route, reply.statusCode, seconds);
      request.log.info(
        {
          method: request.method,
          route: route ?? 'unmatched',
          status_code: reply.statusCode,
          duration_ms: Math.round(reply.elapsedTime * 100) / 100,
        },
        'request completed',
      );
    });
  }

  const live = async () => ({ status: 'ok' });
  const ready = async (_request: unknown, reply: { status(code: number): unknown }) => {
    const results = await Promise.all(deps.readiness.map(async (c) => [c.name, await probe(c)] as const));
    const checks = Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'ok' : 'failing']));
    const ok = state.ready && results.every(([, passed]) => passed);
    reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : state.ready ? 'not ready' : 'shutting down', checks };
  };
  for (const path of ['/livez', '/health']) app.get(path, live);
  for (const path of ['/readyz', '/ready']) app.get(path, ready);
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', deps.registry.contentType);
    return deps.registry.metrics();
  });

  await deps.service.routes(app);
  return { app, state };
}
