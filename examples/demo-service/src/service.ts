// The demo's own code (the rest of src/ comes from the Foundation service template):
//   POST /events         validate, publish to Kafka, answer with the event id and the trace id
//   GET  /events/stream  server-sent events of every event the consumer processed
//   GET  /events/stats   how many events this instance processed
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Counter, type Registry } from '@prometheus-io/client';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ServiceDefinition } from './app.js';
import { ConfigError, type Config } from './config.js';
import { AppError } from './errors.js';
import { currentTraceId, type EventBus, type IncomingEvent } from './kafka.js';

export interface ServiceDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly bus: EventBus | null;
  readonly registry: Registry;
}

/** What is published and what the stream shows. */
export interface DemoEvent {
  readonly id: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly publishedAt: string;
}

const demoEvent = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
  publishedAt: z.string(),
});

const bodySchema = {
  type: 'object',
  required: ['type', 'payload'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9._-]*$' },
    payload: { type: 'object' },
  },
} as const;

function demoTopic(env: NodeJS.ProcessEnv): string {
  const topic = env.DEMO_TOPIC ?? 'demo.events';
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic))
    throw new ConfigError('invalid configuration:\n  - DEMO_TOPIC: not a Kafka topic name');
  return topic;
}

export function defineService(deps: ServiceDeps, env: NodeJS.ProcessEnv = process.env): ServiceDefinition {
  const topic = demoTopic(env);
  const hub = new EventEmitter();
  hub.setMaxListeners(0);
  const streams = new Set<NodeJS.WritableStream & { end(): void }>();
  let processed = 0;
  const consumed = new Counter({
    name: 'demo_events_consumed_total',
    help: 'Events the demo consumer processed, by event type.',
    labelNames: ['type'] as const,
    registers: [deps.registry],
  });

  const routes = (app: FastifyInstance): void => {
    app.post('/events', { schema: { body: bodySchema } }, async (request, reply) => {
      if (deps.bus === null) throw new AppError('UNAVAILABLE', 'Kafka is not configured (KAFKA_BROKERS)');
      const body = request.body as { type: string; payload: Record<string, unknown> };
      const event: DemoEvent = {
        id: randomUUID(),
        type: body.type,
        payload: body.payload,
        publishedAt: new Date().toISOString(),
      };
      await deps.bus.publish(topic, { key: event.id, value: event });
      request.log.info({ event_id: event.id, type: event.type }, 'event published');
      return reply.status(201).send({ id: event.id, traceId: currentTraceId() ?? null });
    });

    app.get('/events/stream', (request, reply) => {
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      raw.write(': connected\n\n');
      const send = (event: DemoEvent): void => {
        raw.write(`id: ${event.id}\nevent: event\ndata: ${JSON.stringify(event)}\n\n`);
      };
      const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
      hub.on('event', send);
      streams.add(raw);
      request.raw.on('close', () => {
        clearInterval(keepAlive);
        hub.off('event', send);
        streams.delete(raw);
      });
    });

    app.get('/events/stats', async () => ({ processed }));

    // Open streams would keep the server from closing: end them first.
    app.addHook('preClose', async () => {
      for (const stream of streams) stream.end();
    });
  };

  const handle = async (incoming: IncomingEvent): Promise<void> => {
    const parsed = demoEvent.safeParse(incoming.value);
    if (!parsed.success) {
      // A malformed message is skipped (and committed), never retried forever.
      deps.logger.warn({ topic: incoming.topic, offset: incoming.offset }, 'skipped a malformed event');
      return;
    }
    const event = parsed.data as DemoEvent;
    processed += 1;
    consumed.inc({ type: event.type });
    deps.logger.info(
      { event_id: event.id, type: event.type, partition: incoming.partition, offset: incoming.offset },
      'event consumed',
    );
    hub.emit('event', event);
  };

  return { topics: [topic], handle, routes };
}
