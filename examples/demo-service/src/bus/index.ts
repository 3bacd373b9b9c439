import type { Logger } from 'pino';
import type { ConnectionSettings, EventBus } from './event-bus.js';

export type KafkaClient = 'platformatic' | 'kafkajs';

export interface EventBusOptions {
  /** Which client carries the events (KAFKA_CLIENT): @platformatic/kafka by default, or kafkajs. */
  readonly client: KafkaClient;
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** The broker away: how long a publish waits, how reconnecting backs off (defaults: CONNECTION_DEFAULTS). */
  readonly connection?: Partial<ConnectionSettings>;
}

/** KAFKA_PUBLISH_TIMEOUT_MS and KAFKA_RECONNECT_MAX_DELAY_MS's defaults; the back-off starts at 0.1 s. */
export const CONNECTION_DEFAULTS: ConnectionSettings = {
  publishTimeoutMs: 5_000,
  reconnect: { baseMs: 100, capMs: 5_000 },
};

/** Load only the client in use: importing one costs 0.1-0.5 s of start-up (more on a busy machine). */
async function load(options: EventBusOptions): Promise<EventBus> {
  const settings = { ...options, ...CONNECTION_DEFAULTS, ...options.connection };
  if (options.client === 'kafkajs') return (await import('./kafkajs.js')).createKafkajsBus(settings);
  return (await import('./platformatic.js')).createPlatformaticBus(settings);
}

/**
 * The EventBus over the configured client; both behave the same (the contract tests run on both). The
 * client is loaded on first use; nothing here needs the broker to be up (see EventBus).
 */
export function createEventBus(options: EventBusOptions): EventBus {
  let loaded: Promise<EventBus> | null = null;
  const bus = (): Promise<EventBus> => (loaded ??= load(options));
  return {
    publish: async (topic, event) => (await bus()).publish(topic, event),
    consume: async (topics, groupId, handle) => (await bus()).consume(topics, groupId, handle),
    readiness: async () => (await bus()).readiness(),
    ready: async () => (await bus()).ready(),
    stopConsuming: async () => (loaded === null ? undefined : (await loaded).stopConsuming()),
    close: async () => (loaded === null ? undefined : (await loaded).close()),
  };
}
