import type { Kafka } from 'kafkajs';

/**
 * Join `groupId`, read `topic` (from the beginning when the group has no committed offset) until
 * `count` values arrived, then leave the group (committing what was processed). Rejects after `timeoutMs`
 * naming how many arrived.
 */
export async function consumeValues(
  client: Kafka,
  topic: string,
  groupId: string,
  count: number,
  timeoutMs = 30_000,
): Promise<string[]> {
  const consumer = client.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`only ${got.length} of ${count} messages arrived from ${topic}`));
      }, timeoutMs);
      consumer
        .run({
          eachMessage: ({ message }) => {
            got.push(message.value?.toString() ?? '');
            if (got.length === count) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}
