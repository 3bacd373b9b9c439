import {
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  stringDeserializers,
  type Broker,
  type ConsumerGroupJoinPayload,
  type ConsumerHeartbeatStalledPayload,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import type { Logger } from 'pino';
import { backoffDelayMs, pause, within, type Backoff } from './backoff.js';
import type { EventHandler, RawMessage } from './event-bus.js';
import { deliver } from './messages.js';
import type { RunningConsumer } from './supervisor.js';

type Stream = MessagesStream<string, string, string, string>;
type Msg = Message<string, string, string, string>;

export interface ConsumerOptions {
  readonly clientId: string;
  readonly bootstrapBrokers: Broker[];
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handle: EventHandler;
  readonly logger: Logger;
  /** The wait before subscribing again after the stream ended. */
  readonly backoff: Backoff;
  /** Called when the client gave up on its group membership: the supervisor starts a new consumer. */
  readonly lost: () => void;
}

/**
 * The broker drops a member silent for this long, and a rebalance waits this long for members to join
 * again (the client's defaults: 60 s and 102 s; it requires the second to be at least the first).
 */
const SESSION_TIMEOUT_MS = 15_000;
const REBALANCE_TIMEOUT_MS = SESSION_TIMEOUT_MS;
/**
 * A join that has neither succeeded nor failed by then never will: seen with @platformatic/kafka 2.12.1
 * when the broker came back while the consumer was joining (no JoinGroup reached the broker for a minute,
 * the promise never settled). The consumer is then replaced, as when the client gives up on it.
 */
const JOIN_DEADLINE_MS = REBALANCE_TIMEOUT_MS + 10_000;
/** Leaving the group on stop is best effort: a client that cannot reach the broker is left behind. */
const CLOSE_DEADLINE_MS = 5_000;

/** The string deserializer gives undefined for a message without a key, or a tombstone's value. */
const orNull = (text: string | undefined): string | null => text ?? null;

function raw(message: Msg): RawMessage {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset.toString(),
    key: orNull(message.key),
    value: orNull(message.value),
    headers: Object.fromEntries(message.headers),
  };
}

/**
 * Consume from the committed offsets (the earliest for a new group), one message at a time, committing
 * each offset only after its handler resolved (at-least-once). Commits are not awaited before the next
 * message (the client merges them per partition, in order), but all are before the consumer stops.
 */
export function startPlatformaticConsumer(options: ConsumerOptions): RunningConsumer {
  const consumer = new Consumer<string, string, string, string>({
    clientId: options.clientId,
    bootstrapBrokers: options.bootstrapBrokers,
    groupId: options.groupId,
    deserializers: stringDeserializers,
    autocommit: false,
    sessionTimeout: SESSION_TIMEOUT_MS,
    rebalanceTimeout: REBALANCE_TIMEOUT_MS,
    heartbeatInterval: 3_000,
    // A fetch waits at most this long for new messages: also how long closing may wait for one.
    maxWaitTime: 500,
  });
  // The client's one 'error': a rejoin that failed (the broker away or slow to come back). It then sends no
  // more heartbeats and its stream, left with no assignment, idles without failing: this consumer is lost,
  // and the supervisor stops it and starts a new one (from the committed offsets). Without a listener
  // Node would end the process.
  consumer.on('error', (err: Error) => {
    options.logger.warn({ err, group: options.groupId }, 'kafka consumer error: rejoining the group failed');
    options.lost();
  });
  // No heartbeat answered for the rebalance timeout: the broker has dropped this member, whatever the
  // client still believes. Lost too (its stream would idle without an assignment).
  consumer.on('consumer:heartbeat:stalled', (stall: ConsumerHeartbeatStalledPayload) => {
    const fields = { group: options.groupId, stalledForMs: stall.stalledFor, err: stall.lastError };
    options.logger.warn(fields, 'kafka consumer heartbeats stalled: replacing the consumer');
    options.lost();
  });
  // Membership changes are rare and explain a pause in consuming: one line each.
  consumer.on('consumer:group:join', (join: ConsumerGroupJoinPayload) => {
    const partitions = (join.assignments ?? []).map((a) => `${a.topic}:${a.partitions.join(',')}`);
    const fields = { group: options.groupId, generation: join.generationId, partitions };
    options.logger.info(fields, 'kafka consumer joined its group');
  });
  const stopping = new AbortController();
  const stopped = (): boolean => stopping.signal.aborted;
  const commits = new Set<Promise<void>>();
  let stream: Stream | null = null;
  let inHand: Promise<boolean> | null = null;

  const commit = (message: Msg): void => {
    const done = Promise.resolve(message.commit()).catch((err: unknown) => {
      // Not committed: the message is delivered again after a restart or rebalance (at-least-once).
      options.logger.warn({ err, topic: message.topic, offset: String(message.offset) }, 'commit failed');
    });
    commits.add(done);
    void done.finally(() => commits.delete(done));
  };

  /** Joins the group and handles messages until the stream ends; 'wedged' if the join never answered. */
  const consumeOnce = async (): Promise<'wedged' | void> => {
    const joining = consumer.consume({
      topics: [...options.topics],
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: MessagesStreamFallbackModes.EARLIEST,
      autocommit: false,
    });
    const joined = await within(joining, JOIN_DEADLINE_MS, stopping.signal);
    if (joined === null) {
      // stop() came, or the join is stuck: a stream that still arrives is closed unused.
      joining.then((late) => late.close()).catch(() => undefined);
      return stopped() ? undefined : 'wedged';
    }
    stream = joined.value;
    if (stopped()) return; // stop() came as the join finished: it closes this stream
    for await (const message of stream) {
      if (stopped()) break;
      inHand = deliver(raw(message), options.handle, stopping.signal, options.logger);
      const handled = await inHand;
      inHand = null;
      if (!handled) break;
      commit(message);
    }
  };

  const loop = (async () => {
    while (!stopped()) {
      try {
        const outcome = await consumeOnce();
        if (stopped()) break;
        if (outcome === 'wedged') {
          const fields = { topics: options.topics, group: options.groupId, waitedMs: JOIN_DEADLINE_MS };
          options.logger.warn(fields, 'kafka consumer join never answered: replacing the consumer');
          options.lost();
          break;
        }
        options.logger.warn({ topics: options.topics }, 'kafka consumer stream ended: resubscribing');
      } catch (err) {
        if (stopped()) break;
        // Not resubscribed on this client: @platformatic/kafka 2.12.1 keeps the topics of a consume() that
        // failed as subscribed, so the next consume() skips the join and returns a stream with no
        // assignment that never delivers (seen twice under load after the broker came back). A new
        // consumer joins afresh from the committed offsets.
        options.logger.warn(
          { err, topics: options.topics },
          'kafka consumer stream failed: replacing the consumer',
        );
        options.lost();
        break;
      }
      await pause(backoffDelayMs(0, options.backoff), stopping.signal);
    }
  })();

  return {
    async stop() {
      stopping.abort();
      await inHand;
      await Promise.all(commits);
      await stream?.close().catch(() => undefined);
      await loop;
      await stream?.close().catch(() => undefined); // one opened while stop() waited
      await Promise.all(commits);
      if ((await within(consumer.close(true), CLOSE_DEADLINE_MS)) === null)
        options.logger.warn({ group: options.groupId }, 'kafka consumer did not close in time: left behind');
    },
  };
}
