// The http-client part: calls to other services over undici with per-attempt timeouts, retries for
// idempotent calls, a circuit breaker per origin (cockatiel), W3C trace propagation and CLIENT spans,
// failures as the service's AppError. See docs/http-client.md.
import { trace } from '@opentelemetry/api';
import { Agent } from 'undici';
import type { PartDeps, StartedPart } from '../part.js';
import { createHttpClient, type HttpClient } from './client.js';
import { deadlines } from './deadlines.js';
import { createHttpClientMetrics } from './metrics.js';
import { createPolicies } from './policies.js';
import type { HttpClientSettings } from './settings.js';

export { httpClientSettings, type HttpClientSettings } from './settings.js';
export type { GetJsonOptions, HttpClient, RequestOptions } from './client.js';
export type { HttpResponse } from './response.js';
export type { Target } from './target.js';

/** The undici Agent the client sends through: keep-alive pools per origin, bounded, bodies bounded. */
export function httpClientAgent(settings: HttpClientSettings): Agent {
  return new Agent({
    connections: settings.HTTP_CLIENT_CONNECTIONS,
    maxResponseSize: settings.HTTP_CLIENT_MAX_RESPONSE_BYTES,
  });
}

export async function startHttpClient(
  settings: HttpClientSettings,
  deps: PartDeps,
): Promise<StartedPart<HttpClient>> {
  const agent = httpClientAgent(settings);
  const metrics = createHttpClientMetrics(deps.registry);
  const logger = deps.logger.child({ part: 'http-client' });
  const policies = createPolicies(settings, metrics, logger);
  const timeouts = deadlines();
  const handle = createHttpClient(settings, {
    dispatcher: agent,
    deadlines: timeouts,
    tracer: trace.getTracer('http-client'),
    metrics,
    logger,
    policies,
    userAgent: deps.serviceName,
  });
  return {
    handle,
    async close() {
      policies.close();
      // Graceful: in-flight calls finish (each is bounded by its timeout), idle sockets close.
      await agent.close();
    },
  };
}
