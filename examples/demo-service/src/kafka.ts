import { SpanKind, context, trace } from '@opentelemetry/api';
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { extractContext, injectContext, tracer, withSpan } from './telemetry/index.js';

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

/** The small interface the service codes against; kafkajs stays behind it so it can be replaced. */
export interface EventBus {
  publish(topic: string, event: OutgoingEvent): Promise<void>;
  /** Consume `topics`; an offset is committed only after `handle` resolves (at-least-once). */
  consume(
    topics: readonly string[],
    groupId: string,
    handle: (event: IncomingEvent) => Promise<void>,
  ): Promise<void>;
  /** Can the brokers be reached? (readiness) */
  ready(): Promise<boolean>;
  /** Stop consuming (in-flight messages finish and are committed first). */
  stopConsuming(): Promise<void>;
  /** Disconnect the producer (after everything that publishes has stopped). */
  close(): Promise<void>;
}

const t = tracer('kafka');

function headersOf(
  raw: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first.toString();
  }
  return out;
}

export function createKafkaBus(options: {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
}): EventBus {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      options.logger.warn({ kafka: entry.log }, `kafka: ${entry.log.message}`);
    },
  });
  let producer: Producer | null = null;
  let admin: Admin | null = null;
  let consumer: Consumer | null = null;

  const connected = async (): Promise<Producer> => {
    if (producer === null) {
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await p.connect();
      producer = p;
    }
    return producer;
  };

  return {
    async publish(topic, event) {
      const p = await connected();
      await withSpan(
        t,
        `${topic} publish`,
        {
          kind: SpanKind.PRODUCER,
          attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic },
        },
        async () => {
          const message = {
            ...(event.key === undefined ? {} : { key: event.key }),
            value: JSON.stringify(event.value),
            headers: injectContext({ ...event.headers }),
          };
          await p.send({ topic, acks: -1, messages: [message] });
        },
      );
    },

    async consume(topics, groupId, handle) {
      // A consumed topic that does not exist yet is created (broker defaults). Production settings belong
      // in the platform's topics file (k8s/redpanda/topics.yaml), which the reconciler applies first.
      const a = kafka.admin();
      await a.connect();
      try {
        const existing = new Set(await a.listTopics());
        const missing = topics.filter((topic) => !existing.has(topic));
        if (missing.length > 0) {
          await a.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
          options.logger.warn({ topics: missing }, 'created missing topics with broker defaults');
        }
      } finally {
        await a.disconnect();
      }
      const c = kafka.consumer({ groupId });
      consumer = c;
      await c.connect();
      for (const topic of topics) await c.subscribe({ topic, fromBeginning: true });
      await c.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          const headers = headersOf(message.headers);
          const parent = extractContext(headers);
          await withSpan(
            t,
            `${topic} process`,
            {
              kind: SpanKind.CONSUMER,
              attributes: {
                'messaging.system': 'kafka',
                'messaging.destination.name': topic,
                'messaging.kafka.destination.partition': partition,
                'messaging.kafka.message.offset': Number(message.offset),
              },
            },
            async () => {
              const raw = message.value?.toString() ?? 'null';
              let value: unknown;
              try {
                value = JSON.parse(raw);
              } catch {
                value = raw;
              }
              await handle({
                topic,
                partition,
                offset: message.offset,
                key: message.key?.toString() ?? null,
                value,
                headers,
              });
            },
            parent,
          );
          // Committed only now, after the handler succeeded: a crash before this line redelivers the message.
          await c.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        },
      });
    },

    async ready() {
      try {
        if (admin === null) {
          const a = kafka.admin();
          await a.connect();
          admin = a;
        }
        const cluster = await admin.describeCluster();
        return cluster.brokers.length > 0;
      } catch {
        return false;
      }
    },

    async stopConsuming() {
      if (consumer === null) return;
      await consumer.stop(); // waits for the message being processed, then commits it
      await consumer.disconnect();
      consumer = null;
    },

    async close() {
      await producer?.disconnect();
      await admin?.disconnect();
      producer = null;
      admin = null;
    },
  };
}

/** The active span's trace id, for responses and logs. */
export function currentTraceId(): string | undefined {
  const id = trace.getSpan(context.active())?.spanContext().traceId;
  return id === undefined || /^0+$/.test(id) ? undefined : id;
}
