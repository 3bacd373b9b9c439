import type { KafkaClientName } from '../config/variables.js';
import type { BusClient } from '../ports/validation.js';

const NAMES: Readonly<Record<KafkaClientName, string>> = {
  platformatic: '@platformatic/kafka',
  kafkajs: 'kafkajs',
};

/**
 * The Kafka client KAFKA_CLIENT names (platformatic by default). Its library is loaded on first use, so
 * commands that never reach the broker (`foundation list`) do not pay for it, and kafkajs is loaded
 * only when chosen.
 */
export function busClient(kind: KafkaClientName, brokers: readonly string[], clientId?: string): BusClient {
  let loaded: Promise<BusClient> | undefined;
  const client = (): Promise<BusClient> =>
    (loaded ??=
      kind === 'kafkajs'
        ? import('./bus-client-kafkajs.js').then((m) => m.kafkajsClient(brokers, clientId))
        : import('./bus-client-platformatic.js').then((m) => m.platformaticClient(brokers, clientId)));
  return {
    name: NAMES[kind],
    producer: async () => (await client()).producer(),
    consumer: async (topic, onValue, options) => (await client()).consumer(topic, onValue, options),
  };
}
