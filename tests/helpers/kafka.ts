// The tests' own Kafka calls (@platformatic/kafka 2.12.1): an idempotent acks=all producer of strings,
// an admin, and how many messages a topic holds.
import { Admin, Producer, ProduceAcks, stringSerializers } from '@platformatic/kafka';

export type TestProducer = Producer<string, string, string, string>;

/** `retries: 0` and no metadata refresh on a stale answer: a produce that is not served at once fails. */
export function testProducer(brokers: readonly string[], o: { retries?: number } = {}): TestProducer {
  return new Producer({
    clientId: 'test-producer',
    bootstrapBrokers: [...brokers],
    serializers: stringSerializers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    autocreateTopics: true,
    ...(o.retries === undefined ? {} : { retries: o.retries, repeatOnStaleMetadata: o.retries > 0 }),
  });
}

/** Send `values` to `topic` (acks=all), in one request. */
export async function sendValues(
  producer: TestProducer,
  topic: string,
  values: readonly string[],
  key?: (i: number) => string,
): Promise<void> {
  await producer.send({
    messages: values.map((value, i) => ({ topic, value, ...(key === undefined ? {} : { key: key(i) }) })),
  });
}

/** Retries for a while: a broker just started again may not lead its partitions yet. */
export const testAdmin = (brokers: readonly string[]): Admin =>
  new Admin({ clientId: 'test-admin', bootstrapBrokers: [...brokers], retries: 10, retryDelay: 500 });

/** The messages `topic` holds: the sum of its partitions' end offsets (nothing deleted in tests). */
export async function storedCount(admin: Admin, topic: string): Promise<number> {
  const meta = await admin.metadata({ topics: [topic], forceUpdate: true });
  const partitions = meta.topics.get(topic)?.partitions.length ?? 0;
  const listed = await admin.listOffsets({
    topics: [
      {
        name: topic,
        partitions: Array.from({ length: partitions }, (_, i) => ({ partitionIndex: i, timestamp: -1n })),
      },
    ],
  });
  return listed.flatMap((t) => t.partitions).reduce((n, p) => n + Number(p.offset), 0);
}
