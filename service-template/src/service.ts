// This service's own code: its routes and the topics it consumes. The rest of src/ comes from the
// Foundation service template; keep your changes here (and in test/service.test.ts) so a newer template
// can be applied without conflicts.
import type { ServiceDefinition } from './app.js';
import type { Config } from './config.js';
import type { EventBus } from './kafka.js';
import type { Logger } from 'pino';
import type { Registry } from '@prometheus-io/client';
// kit:any
import type { Kit } from './kit/index.js';
// kit:end

export interface ServiceDeps {
  readonly config: Config;
  readonly logger: Logger;
  /** Kafka, when KAFKA_BROKERS is set. */
  readonly bus: EventBus | null;
  readonly registry: Registry;
  // The service kit's parts (docs/<part>.md):
  // kit:postgres
  /** PostgreSQL: query, execute, transaction (docs/postgres.md). */
  readonly db: Kit['db'];
  // kit:end
  // kit:redis
  /** The Redis cache: get, set, delete, wrap with single-flight (docs/redis.md). */
  readonly cache: Kit['cache'];
  // kit:end
  // kit:http-client
  /** Calls to other services: timeouts, retries, circuit breaker, traces (docs/http-client.md). */
  readonly httpClient: Kit['httpClient'];
  // kit:end
  // kit:auth
  /** JWT bearer tokens: verify, requireScope (docs/auth.md). */
  readonly auth: Kit['auth'];
  // kit:end
  // kit:grpc
  /** The gRPC server and clients (docs/grpc.md). */
  readonly grpc: Kit['grpc'];
  // kit:end
}

export function defineService(deps: ServiceDeps): ServiceDefinition {
  return {
    topics: [],
    handle: async () => undefined,
    routes(app) {
      app.get('/', async () => ({
        service: deps.config.SERVICE_NAME,
        version: deps.config.SERVICE_VERSION,
        description: '__SERVICE_DESCRIPTION__',
      }));
    },
  };
}
