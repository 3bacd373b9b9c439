import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { EventHandler } from './event-bus.js';
import { deliver, headerText } from './messages.js';
import type { RunningConsumer } from './supervisor.js';
import { within } from './backoff.js';

/** Stopping waits this long for the message in hand and its commit, leaving the group this long more. */
const STOP_DEADLINE_MS = 15_000;
const CLOSE_DEADLINE_MS = 5_000;

export interface KafkajsConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handle: EventHandler;
  readonly logger: Logger;
}

/** Create the consumed topics that are missing (broker defaults), as the default adapter does. */
async function ensureTopics(kafka: Kafka, topics: readonly string[], logger: Logger): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
      logger.warn({ topics: missing }, 'created missing topics with broker defaults');
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * One message at a time; an offset is committed only after its handler resolved (at-least-once). kafkajs
 * restarts a consumer that failed on a retriable error (the broker away) itself; `lost` is called when it
 * gives up instead, and the supervisor starts a new one.
 */
export async function startKafkajsConsumer(
  kafka: Kafka,
  options: KafkajsConsumerOptions,
  lost: () => void,
): Promise<RunningConsumer> {
  await ensureTopics(kafka, options.topics, options.logger);
  // A consumer kafkajs gave up on is replaced by a new member: the group waits out the old member's
  // session before it rebalances, so a session of 10 s (kafkajs: 30 s) lets it resume that much sooner.
  // stop() waits for the fetch in flight, which an idle broker holds for maxWaitTimeInMs (kafkajs: 5 s,
  // so every shutdown of an idle service took 5 s): 1 s, at the cost of one empty fetch a second.
  const consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: 1_000,
  });
  const stopping = new AbortController();
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) lost();
  });
  try {
    await consumer.connect();
    for (const topic of options.topics) await consumer.subscribe({ topic, fromBeginning: true });
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      // Stopping: what is left of the batch is not handled (nor committed), so it is delivered again.
      if (stopping.signal.aborted) return;
      const event = {
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers: headerText(message.headers),
      };
      if (!(await deliver(event, options.handle, stopping.signal, options.logger))) return;
      // Committed only now, after the handler succeeded: a crash before this line redelivers the message.
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    },
  });
  return {
    async stop() {
      stopping.abort();
      // Waits for the message being processed, then its commit; both bounded, as a shutdown must be (what
      // is not committed is delivered again).
      if ((await within(consumer.stop(), STOP_DEADLINE_MS)) === null)
        options.logger.warn({ group: options.groupId }, 'kafka consumer did not stop in time');
      if ((await within(consumer.disconnect(), CLOSE_DEADLINE_MS)) === null)
        options.logger.warn({ group: options.groupId }, 'kafka consumer did not close in time: left behind');
    },
  };
}
