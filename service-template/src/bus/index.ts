import type { Logger } from 'pino';
import type { EventBus } from './event-bus.js';

export type KafkaClient = 'platformatic' | 'kafkajs';

export interface EventBusOptions {
  /** Which client carries the events (KAFKA_CLIENT): @platformatic/kafka by default, or kafkajs. */
  readonly client: KafkaClient;
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
}

/** Load only the client in use: importing one costs 0.1-0.5 s of start-up (more on a busy machine). */
async function load(options: EventBusOptions): Promise<EventBus> {
  if (options.client === 'kafkajs') return (await import('./kafkajs.js')).createKafkajsBus(options);
  return (await import('./platformatic.js')).createPlatformaticBus(options);
}

/**
 * The EventBus over the configured client; both behave the same (the contract tests run on both). The
 * client is loaded on first use.
 */
export function createEventBus(options: EventBusOptions): EventBus {
  let loaded: Promise<EventBus> | null = null;
  const bus = (): Promise<EventBus> => (loaded ??= load(options));
  return {
    publish: async (topic, event) => (await bus()).publish(topic, event),
    consume: async (topics, groupId, handle) => (await bus()).consume(topics, groupId, handle),
    ready: async () => (await bus()).ready(),
    stopConsuming: async () => (loaded === null ? undefined : (await loaded).stopConsuming()),
    close: async () => (loaded === null ? undefined : (await loaded).close()),
  };
}
