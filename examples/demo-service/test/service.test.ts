import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import type { EventBus, IncomingEvent, OutgoingEvent } from '../src/kafka.js';
import { defineService } from '../src/service.js';
import { createLogger, createRegistry } from '../src/telemetry/index.js';
import { testApp } from './helpers.js';

/** An in-memory bus: publish hands the event straight to the consumer's handler. */
function memoryBus(): EventBus & {
  published: OutgoingEvent[];
  deliver?: (e: IncomingEvent) => Promise<void>;
} {
  const bus: EventBus & { published: OutgoingEvent[]; deliver?: (e: IncomingEvent) => Promise<void> } = {
    published: [],
    async publish(topic, event) {
      bus.published.push(event);
      await bus.deliver?.({
        topic,
        partition: 0,
        offset: String(bus.published.length - 1),
        key: event.key ?? null,
        value: event.value,
        headers: {},
      });
    },
    async consume(_topics, _group, handle) {
      bus.deliver = handle;
    },
    readiness: async () => ({ ready: true }),
    ready: async () => true,
    stopConsuming: async () => undefined,
    close: async () => undefined,
  };
  return bus;
}

async function demo(): Promise<{
  app: FastifyInstance;
  bus: ReturnType<typeof memoryBus>;
  text: () => Promise<string>;
}> {
  const bus = memoryBus();
  const registry = createRegistry({ defaultMetrics: false });
  const service = defineService(
    { config: loadConfig({}), logger: createLogger({ name: 'demo', level: 'silent' }), bus, registry },
    {},
  );
  await bus.consume(service.topics, 'g', (e) => service.handle(e));
  const { app } = await testApp(service);
  return { app, bus, text: () => registry.metrics() };
}

const post = (app: FastifyInstance, payload: string, type = 'application/json') =>
  app.inject({ method: 'POST', url: '/events', payload, headers: { 'content-type': type } });

describe('demo-service', () => {
  it('publishes a valid event, answers with its id, and the consumer counts it', async () => {
    const { app, bus, text } = await demo();
    const res = await post(app, JSON.stringify({ type: 'order.placed', payload: { qty: 2 } }));
    assert.equal(res.statusCode, 201);
    const { id } = res.json() as { id: string };
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal((bus.published[0]?.value as { id: string }).id, id);
    assert.deepEqual((await app.inject({ url: '/events/stats' })).json(), { processed: 1 });
    assert.match(await text(), /demo_events_consumed_total\{type="order.placed"\} 1/);
  });

  const bad: [string, string, string, number][] = [
    ['malformed JSON', '{"type":', 'application/json', 400],
    ['missing payload', '{"type":"a"}', 'application/json', 400],
    ['bad type', '{"type":"Not Valid","payload":{}}', 'application/json', 400],
    ['oversize', JSON.stringify({ type: 'a', payload: { x: 'y'.repeat(5_000) } }), 'application/json', 413],
    ['wrong content type', '<type>a</type>', 'application/xml', 415],
  ];
  for (const [name, payload, type, status] of bad) {
    it(`rejects ${name} with ${status} and publishes nothing`, async () => {
      const { app, bus } = await demo();
      assert.equal((await post(app, payload, type)).statusCode, status);
      assert.equal(bus.published.length, 0);
      assert.equal((await app.inject({ url: '/livez' })).statusCode, 200, 'still serving');
    });
  }

  it('skips a malformed message instead of failing the consumer', async () => {
    const registry = createRegistry({ defaultMetrics: false });
    const service = defineService(
      {
        config: loadConfig({}),
        logger: createLogger({ name: 'demo', level: 'silent' }),
        bus: null,
        registry,
      },
      {},
    );
    await service.handle({
      topic: 'demo.events',
      partition: 0,
      offset: '0',
      key: null,
      value: 'garbage',
      headers: {},
    });
    assert.doesNotMatch(await registry.metrics(), /demo_events_consumed_total\{/);
  });
});
