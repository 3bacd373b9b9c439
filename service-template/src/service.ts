// This service's own code: its routes and the topics it consumes. The rest of src/ comes from the
// Foundation service template; keep your changes here (and in test/service.test.ts) so a newer template
// can be applied without conflicts.
import type { ServiceDefinition } from './app.js';
import type { Config } from './config.js';
import type { EventBus } from './kafka.js';
import type { Logger } from 'pino';
import type { Registry } from '@prometheus-io/client';

export interface ServiceDeps {
  readonly config: Config;
  readonly logger: Logger;
  /** Kafka, when KAFKA_BROKERS is set. */
  readonly bus: EventBus | null;
  readonly registry: Registry;
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
