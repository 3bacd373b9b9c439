import { Consumer, MessagesStreamModes, stringDeserializers, type Message } from '@platformatic/kafka';

/**
 * Join `groupId`, read `topic` (from the beginning when the group has no committed offset) until
 * `count` values arrived, committing each one after it was taken (nothing past the `count`th), then
 * leave the group. Rejects after `timeoutMs` naming how many arrived. @platformatic/kafka 2.12.1.
 */
export async function consumeValues(
  brokers: readonly string[],
  topic: string,
  groupId: string,
  count: number,
  timeoutMs = 30_000,
): Promise<string[]> {
  const consumer = new Consumer({
    clientId: 'test-consumer',
    bootstrapBrokers: [...brokers],
    groupId,
    deserializers: stringDeserializers,
  });
  const got: string[] = [];
  const commits: Promise<void>[] = [];
  try {
    const stream = await consumer.consume({
      topics: [topic],
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: MessagesStreamModes.EARLIEST,
      autocommit: false,
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`only ${got.length} of ${count} messages arrived from ${topic}`));
      }, timeoutMs);
      stream.on('error', (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
      stream.on('data', (message: Message<string, string, string, string>) => {
        if (got.length >= count) return;
        got.push(message.value);
        commits.push(Promise.resolve(message.commit()));
        if (got.length === count) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await Promise.all(commits);
  } finally {
    await Promise.allSettled(commits);
    await consumer.close(true);
  }
  return got;
}
