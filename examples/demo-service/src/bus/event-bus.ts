import type { Backoff } from './backoff.js';

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

/** Whether the broker can be reached, and why not. */
export interface BusReadiness {
  readonly ready: boolean;
  /** e.g. "broker unreachable since 2026-05-01T10:00:00.000Z: connect ECONNREFUSED 127.0.0.1:9092". */
  readonly reason?: string;
}

/** How a bus waits for its broker (KAFKA_PUBLISH_TIMEOUT_MS, KAFKA_RECONNECT_MAX_DELAY_MS). */
export interface ConnectionSettings {
  /** The most a publish waits for the broker's acknowledgement. */
  readonly publishTimeoutMs: number;
  /** Reconnect back-off: full jitter, from `baseMs` doubling to `capMs`. */
  readonly reconnect: Backoff;
}

/**
 * The small interface the service codes against; the Kafka client stays behind it (@platformatic/kafka by
 * default, kafkajs with KAFKA_CLIENT=kafkajs), so it can be replaced. Both behave the same when the broker
 * is away (the contract tests run on both): nothing fails to start, publishes fail fast with
 * BrokerUnavailableError, readiness says why, and everything reconnects with capped, jittered back-off.
 */
export interface EventBus {
  /**
   * Resolves once the broker has the event (acks=all, idempotent producer). Rejects with
   * BrokerUnavailableError at once while the broker is known to be unreachable, and after
   * `publishTimeoutMs` at most otherwise; a rejected event was not acknowledged (one that timed out in
   * flight may still be stored: a retry is at-least-once).
   */
  publish(topic: string, event: OutgoingEvent): Promise<void>;
  /**
   * Consume `topics` (created with broker defaults when missing), one message at a time per consumer. An
   * offset is committed only after `handle` resolved (at-least-once); a handler that throws gets the same
   * message again after a back-off (0.1 s doubling to 5 s) until it succeeds or the consumer stops.
   * Resolves at once: the consumer connects in the background, retrying until the broker is there, and
   * after an outage rejoins its group and resumes from the committed offsets.
   */
  consume(topics: readonly string[], groupId: string, handle: EventHandler): Promise<void>;
  /** Can the broker be reached, and if not, since when and why? (readiness) */
  readiness(): Promise<BusReadiness>;
  /** readiness() as a boolean. */
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
