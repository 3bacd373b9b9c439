/** An event to publish. Values are JSON-encoded; headers carry the trace context. */
export interface OutgoingEvent {
  readonly key?: string;
  readonly value: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface IncomingEvent {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

export type EventHandler = (event: IncomingEvent) => Promise<void>;

/**
 * The small interface the service codes against; the Kafka client stays behind it (@platformatic/kafka by
 * default, kafkajs with KAFKA_CLIENT=kafkajs), so it can be replaced.
 */
export interface EventBus {
  /** Resolves once the broker has the event (acks=all, idempotent producer). */
  publish(topic: string, event: OutgoingEvent): Promise<void>;
  /**
   * Consume `topics` (created with broker defaults when missing), one message at a time per consumer. An
   * offset is committed only after `handle` resolved (at-least-once); a handler that throws gets the same
   * message again after a back-off (0.1 s doubling to 5 s) until it succeeds or the consumer stops.
   */
  consume(topics: readonly string[], groupId: string, handle: EventHandler): Promise<void>;
  /** Can the brokers be reached? (readiness) */
  ready(): Promise<boolean>;
  /** Stop consuming (the message in hand finishes and is committed first). */
  stopConsuming(): Promise<void>;
  /** Disconnect the producer (after everything that publishes has stopped). */
  close(): Promise<void>;
}

/** A consumed message as both clients deliver it, before decoding. */
export interface RawMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** A message ready for a client to send: value encoded, trace context in the headers. */
export interface EncodedMessage {
  readonly topic: string;
  readonly key: string | undefined;
  readonly value: string;
  readonly headers: Record<string, string>;
}
