// The EventBus contract, run against every Kafka client on a real broker when KAFKA_CONTRACT_BROKERS is
// set (Foundation's integration tests set it; without it these tests are skipped). It creates topics and
// groups named contract.* / contract-* and deletes them afterwards.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import type { EventBus } from '../src/kafka.js';
import { startTelemetry, type Telemetry } from '../src/telemetry/index.js';
import {
  BROKERS,
  CLIENTS,
  createTopic,
  forgetNames,
  inbox,
  names,
  newBus,
  ns,
  waitFor,
} from './bus-harness.js';

const skip = BROKERS.length === 0 ? 'KAFKA_CONTRACT_BROKERS is not set (the contract needs a broker)' : false;
const exporter = new InMemorySpanExporter();
let telemetry: Telemetry | null = null;
before(() => {
  telemetry = startTelemetry({ serviceName: 'contract', serviceVersion: '1', environment: 'test', exporter });
});
after(async () => {
  await telemetry?.shutdown();
});

for (const client of CLIENTS) {
  describe(`EventBus over ${client}`, { skip, timeout: 120_000 }, () => {
    const open: EventBus[] = [];
    const bus = (logs?: Record<string, unknown>[]): EventBus => {
      const b = newBus(client, logs);
      open.push(b);
      return b;
    };
    afterEach(async () => {
      for (const b of open.splice(0)) {
        await b.stopConsuming();
        await b.close();
      }
      await forgetNames();
    });

    it('delivers the events of each key in the order they were published (3 partitions)', async () => {
      const { topic, group } = names();
      await createTopic(topic, 3);
      const b = bus();
      const box = inbox();
      await b.consume([topic], group, (e) => box.handle(e));
      const keys = ['a', 'b', 'c', 'd', 'e'];
      await Promise.all(
        keys.map(async (key) => {
          for (let n = 0; n < 12; n++) await b.publish(topic, { key, value: { n } });
        }),
      );
      await waitFor(
        () => box.events.length >= 60,
        '60 events',
        () => box.events.length,
      );
      for (const key of keys)
        assert.deepEqual(
          ns(box.events.filter((e) => e.key === key)),
          [...Array(12).keys()],
          `the events of key ${key}, in order, once each`,
        );
    });

    it('at-least-once: an event whose handler failed is retried, then delivered again after a restart', async () => {
      const { topic, group } = names();
      const logs: Record<string, unknown>[] = [];
      const first = bus(logs);
      const refusing = inbox((e) => (e.value as { n: number }).n === 2);
      await first.consume([topic], group, (e) => refusing.handle(e));
      for (let n = 0; n < 5; n++) await first.publish(topic, { key: 'k', value: { n } });
      await waitFor(
        () => refusing.failures >= 2,
        'the failing handler to be retried',
        () => refusing.failures,
      );
      assert.deepEqual(ns(refusing.events), [0, 1], 'the events after the failing one wait for it');
      assert.ok(
        logs.some((l) => l.msg === 'event handler failed: retrying'),
        JSON.stringify(logs),
      );
      await first.stopConsuming(); // returns although the handler never succeeded; nothing past 1 committed

      const second = bus();
      const box = inbox();
      await second.consume([topic], group, (e) => box.handle(e));
      await waitFor(
        () => box.events.length >= 3,
        'events 2, 3, 4 after the restart',
        () => ns(box.events),
      );
      assert.deepEqual(ns(box.events), [2, 3, 4], 'the failed event again, then the rest; 0 and 1 stay done');
    });

    it('an offline consumer group catches up on what was published while no consumer ran', async () => {
      const { topic, group } = names();
      const producer = bus();
      const early = inbox();
      const earlier = bus();
      await earlier.consume([topic], group, (e) => early.handle(e));
      await producer.publish(topic, { key: 'k', value: { n: 0 } });
      await waitFor(
        () => early.events.length === 1,
        'the first event',
        () => ns(early.events),
      );
      await earlier.stopConsuming();
      for (let n = 1; n <= 5; n++) await producer.publish(topic, { key: `k${n}`, value: { n } });

      const box = inbox();
      await bus().consume([topic], group, (e) => box.handle(e));
      await waitFor(
        () => box.events.length >= 5,
        'the 5 events published offline',
        () => ns(box.events),
      );
      assert.deepEqual(
        ns(box.events).sort((x, y) => x - y),
        [1, 2, 3, 4, 5],
        'each once, not the committed one',
      );
    });

    it('carries key (or none), JSON value and headers (with the W3C trace context)', async () => {
      const { topic, group } = names();
      const b = bus();
      const box = inbox();
      await b.consume([topic], group, (e) => box.handle(e));
      const value = { n: 1, text: 'grüße', nested: { list: [1, null, true] } };
      await b.publish(topic, { key: 'order-7', value, headers: { 'x-tenant': 'acme' } });
      await b.publish(topic, { value: 'plain text' });
      await waitFor(
        () => box.events.length === 2,
        'both events',
        () => box.events,
      );
      const event = box.events.find((e) => e.key === 'order-7');
      const keyless = box.events.find((e) => e.key !== 'order-7');
      assert.ok(event && keyless);
      assert.equal(keyless.key, null, 'an event published without a key has none');
      assert.equal(keyless.value, 'plain text');
      assert.equal(event.topic, topic);
      assert.equal(event.key, 'order-7');
      assert.deepEqual(event.value, value);
      assert.equal(event.headers['x-tenant'], 'acme');
      assert.match(event.headers.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      assert.equal(typeof event.partition, 'number');
      assert.match(event.offset, /^\d+$/);
    });

    it('the process span is a child of the publish span, in the same trace', async () => {
      const { topic, group } = names();
      const b = bus();
      const box = inbox();
      await b.consume([topic], group, (e) => box.handle(e));
      await b.publish(topic, { key: 'k', value: { n: 1 } });
      const spans = () => exporter.getFinishedSpans().filter((s) => s.name.startsWith(`${topic} `));
      await waitFor(
        () => spans().length >= 2,
        'publish and process spans',
        () => spans().map((s) => s.name),
      );
      const publish = spans().find((s) => s.name === `${topic} publish`);
      const processed = spans().find((s) => s.name === `${topic} process`);
      assert.ok(publish && processed);
      assert.equal(publish.kind, SpanKind.PRODUCER);
      assert.equal(processed.kind, SpanKind.CONSUMER);
      assert.equal(processed.spanContext().traceId, publish.spanContext().traceId);
      assert.equal(processed.parentSpanContext?.spanId, publish.spanContext().spanId);
      assert.equal(processed.attributes['messaging.destination.name'], topic);
      assert.equal(processed.attributes['messaging.kafka.destination.partition'], box.events[0]?.partition);
      assert.equal(publish.attributes['messaging.system'], 'kafka');
    });
  });
}
