// What both adapters share: JSON encoding, the trace context in the headers, the `<topic> publish` and
// `<topic> process` spans, and the retry of a failing handler. The adapters only move bytes.
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanKind } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { extractContext, injectContext, tracer, withSpan } from '../telemetry/index.js';
import type { EncodedMessage, EventHandler, OutgoingEvent, RawMessage } from './event-bus.js';

const t = tracer('kafka');

/**
 * Run `send` inside a `<topic> publish` PRODUCER span, with the event JSON-encoded and the span's W3C
 * trace context added to its headers (so the consumer's span becomes its child).
 */
export async function tracedPublish(
  topic: string,
  event: OutgoingEvent,
  send: (message: EncodedMessage) => Promise<void>,
): Promise<void> {
  const attributes = { 'messaging.system': 'kafka', 'messaging.destination.name': topic };
  await withSpan(t, `${topic} publish`, { kind: SpanKind.PRODUCER, attributes }, () =>
    send({
      topic,
      key: event.key,
      value: event.value === undefined ? 'null' : JSON.stringify(event.value),
      headers: injectContext({ ...event.headers }),
    }),
  );
}

/** The value as JSON if it parses, else the text itself (a tombstone is null). */
export function decodeValue(raw: string | null): unknown {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Handle one message inside a `<topic> process` CONSUMER span, a child of the publish span. */
export async function processMessage(message: RawMessage, handle: EventHandler): Promise<void> {
  const attributes = {
    'messaging.system': 'kafka',
    'messaging.destination.name': message.topic,
    'messaging.kafka.destination.partition': message.partition,
    'messaging.kafka.message.offset': Number(message.offset),
  };
  await withSpan(
    t,
    `${message.topic} process`,
    { kind: SpanKind.CONSUMER, attributes },
    () => handle({ ...message, value: decodeValue(message.value) }),
    extractContext(message.headers),
  );
}

/** The wait before the next attempt of a failed handler: 0.1 s doubling, at most 5 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(100 * 2 ** attempt, 5_000);
}

/**
 * Deliver a message until its handler succeeds (true: commit it) or `stop` fires (false: do not commit;
 * the group delivers it again to whoever consumes next). A failing handler is retried in place, so the
 * messages after it in its partition wait: order per key holds.
 */
export async function deliver(
  message: RawMessage,
  handle: EventHandler,
  stop: AbortSignal,
  logger: Logger,
): Promise<boolean> {
  for (let attempt = 0; !stop.aborted; attempt++) {
    try {
      await processMessage(message, handle);
      return true;
    } catch (err) {
      const { topic, partition, offset } = message;
      const delayMs = retryDelayMs(attempt);
      logger.warn({ err, topic, partition, offset, attempt, delayMs }, 'event handler failed: retrying');
      const waited = await sleep(delayMs, true, { signal: stop }).catch(() => false);
      if (!waited) break;
    }
  }
  return false;
}

/** Header values as text (kafkajs gives Buffers, arrays for repeated keys: the first one wins). */
export function headerText(
  raw: Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first.toString();
  }
  return out;
}

/** A rough size of a message on the wire, for batch limits. */
export function messageBytes(message: EncodedMessage): number {
  let bytes = 64 + message.value.length + (message.key?.length ?? 0);
  for (const [k, v] of Object.entries(message.headers)) bytes += k.length + v.length + 8;
  return bytes;
}
