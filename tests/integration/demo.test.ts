import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildDemo, startDemo, type RunningDemo } from './demo.js';
import { useServer } from './servers.js';

const kafka = await useServer('kafka');
const jaeger = await useServer('jaeger');
const prometheus = await useServer('prometheus');
const skip = kafka.skip || jaeger.skip || prometheus.skip;

interface JaegerTrace {
  spans: {
    spanID: string;
    operationName: string;
    tags: { key: string; value: unknown }[];
    references: { spanID: string }[];
  }[];
}

const post = (demo: RunningDemo, body: unknown, type = 'application/json') =>
  fetch(`${demo.url}/events`, {
    method: 'POST',
    headers: { 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** An open server-sent-events stream; `next()` resolves with each event's data. */
async function openStream(
  demo: RunningDemo,
): Promise<{ next(): Promise<Record<string, unknown>>; close(): Promise<void> }> {
  const res = await fetch(`${demo.url}/events/stream`);
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next() {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) return JSON.parse(data.slice(6)) as Record<string, unknown>;
          continue; // a comment (": connected", keep-alive)
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += decoder.decode(value);
      }
    },
    close: () => reader.cancel(),
  };
}

describe('demo-service on the real servers', { skip, timeout: 180_000 }, () => {
  let demo: RunningDemo;
  const topic = `demo.events.${randomUUID().slice(0, 8)}`;
  const env = () => ({
    KAFKA_BROKERS: kafka.env.KAFKA_BROKERS ?? '',
    OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '',
    DEMO_TOPIC: topic,
    KAFKA_GROUP_ID: `demo-${topic}`,
    SERVICE_NAME: 'demo-service',
  });

  before(async () => {
    buildDemo();
    demo = await startDemo(env());
  });
  after(async () => {
    demo.child.kill('SIGKILL');
    await demo.exited;
  });

  it('an event POSTed is consumed and arrives on the SSE stream, its trace spans HTTP → publish → process, and its logs carry the trace id', async () => {
    const stream = await openStream(demo);
    const res = await post(demo, { type: 'order.placed', payload: { qty: 3 } });
    assert.equal(res.status, 201);
    const posted = (await res.json()) as { id: string; traceId: string };
    const arrived = await Promise.race([
      (async () => {
        for (;;) {
          const event = await stream.next();
          if (event.id === posted.id) return event;
        }
      })(),
      sleep(20_000).then(() => null),
    ]);
    await stream.close();
    assert.deepEqual(arrived?.payload, { qty: 3 }, 'the event arrived on the stream');
    assert.match(posted.traceId, /^[0-9a-f]{32}$/);

    let spans: JaegerTrace['spans'] = [];
    for (let i = 0; i < 60 && spans.filter((s) => /publish|process/.test(s.operationName)).length < 2; i++) {
      await sleep(250);
      const res = await fetch(`${jaeger.env.JAEGER_QUERY_URL ?? ''}/api/traces/${posted.traceId}`);
      if (res.ok) spans = ((await res.json()) as { data: JaegerTrace[] }).data[0]?.spans ?? [];
    }
    const kind = (s: JaegerTrace['spans'][number]) => s.tags.find((t) => t.key === 'span.kind')?.value;
    const server = spans.find((s) => kind(s) === 'server');
    const publish = spans.find((s) => s.operationName === `${topic} publish`);
    const processed = spans.find((s) => s.operationName === `${topic} process`);
    assert.ok(server, `an HTTP server span in ${JSON.stringify(spans.map((s) => s.operationName))}`);
    assert.ok(publish && processed, 'publish and process spans');
    assert.equal(
      processed.references[0]?.spanID,
      publish.spanID,
      'the consume span is a child of the publish span',
    );

    const traced = demo.logs.filter((l) => l.trace_id === posted.traceId).map((l) => l.msg);
    assert.ok(
      traced.includes('event published') && traced.includes('request completed'),
      JSON.stringify(traced),
    );
    assert.ok(traced.includes('event consumed'), 'the consumer’s log line carries the same trace id');
  });

  it(
    'Prometheus scrapes /metrics and the POST /events counter is queryable',
    { timeout: 30_000 },
    async () => {
      const run = randomUUID();
      const target = join(prometheus.env.PROMETHEUS_DIR ?? '', 'targets', `demo-${run}.json`);
      writeFileSync(
        target,
        JSON.stringify([{ targets: [demo.url.replace('http://', '')], labels: { run } }]),
      );
      try {
        const query = encodeURIComponent(
          `http_requests_total{run="${run}",method="POST",route="/events",status_code="201"}`,
        );
        let value = 0;
        for (let i = 0; i < 100 && value < 1; i++) {
          await sleep(200);
          const body = (await (
            await fetch(`${prometheus.env.PROMETHEUS_URL ?? ''}/api/v1/query?query=${query}`)
          ).json()) as {
            data: { result: { value: [number, string] }[] };
          };
          value = Number(body.data.result[0]?.value[1] ?? 0);
        }
        assert.ok(value >= 1, 'http_requests_total for POST /events is in Prometheus');
      } finally {
        rmSync(target, { force: true });
      }
    },
  );

  it('answers bad input with the right status and keeps serving', async () => {
    const cases: [string, string, number][] = [
      ['{"type":', 'application/json', 400],
      [JSON.stringify({ type: 'a' }), 'application/json', 400],
      [JSON.stringify({ type: 'a', payload: { x: 'y'.repeat(70_000) } }), 'application/json', 413],
      ['<a/>', 'application/xml', 415],
    ];
    for (const [body, type, status] of cases) {
      const res = await post(demo, body, type);
      assert.equal(res.status, status, `${type} ${body.slice(0, 20)}`);
      assert.ok(((await res.json()) as { error?: { code: string } }).error?.code);
    }
    assert.equal((await fetch(`${demo.url}/livez`)).status, 200);
  });

  it('hostile bodies under the size limit get 400/415 without an error log, while normal events still flow', async () => {
    const deep = (n: number) => `{"type":"a","payload":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`;
    const hostile: [string | Uint8Array, string, number][] = [
      [deep(10_000), 'application/json', 400], // was a 500 with a stack trace (stack overflow serialising it)
      [`{"type":"a","payload":{"x":${'['.repeat(30_000)}${']'.repeat(30_000)}}}`, 'application/json', 400],
      [
        Buffer.from([...Buffer.from('{"type":"a","payload":{"x":"'), 0xff, 0xfe, ...Buffer.from('"}}')]),
        'application/json',
        400,
      ],
      ['{"type":"a","payload":{}}', 'text/plain', 415],
      ['{"type":"a","payload":{}}', 'text/plain; charset=utf-8', 415],
    ];
    const stream = await openStream(demo);
    const errorsBefore = demo.logs.filter((l) => (l.level as number) >= 50).length;
    for (const [body, type, status] of hostile) {
      const [bad, good] = await Promise.all([
        fetch(`${demo.url}/events`, { method: 'POST', headers: { 'content-type': type }, body }),
        post(demo, { type: 'still.serving', payload: { n: status } }),
      ]);
      assert.equal(bad.status, status, `${type}, ${String(body.length)} bytes`);
      assert.ok(((await bad.json()) as { error?: { code: string } }).error?.code);
      assert.equal(good.status, 201, 'a normal event is accepted meanwhile');
      const { id } = (await good.json()) as { id: string };
      for (;;) if ((await stream.next()).id === id) break; // …and consumed
    }
    await stream.close();
    assert.equal(
      demo.logs.filter((l) => (l.level as number) >= 50).length,
      errorsBefore,
      'no error-level log line for bad input',
    );
  });

  it(
    'SIGTERM while events are posted: every acknowledged event is consumed after a restart (at-least-once)',
    { timeout: 90_000 },
    async () => {
      const acked = new Set<string>();
      let stop = false;
      const posters = Array.from({ length: 4 }, async () => {
        while (!stop) {
          try {
            const res = await post(demo, { type: 'load.test', payload: { at: Date.now() } });
            if (res.status === 201) acked.add(((await res.json()) as { id: string }).id);
          } catch {
            await sleep(20); // refused while shutting down
          }
        }
      });
      await sleep(1_500);
      demo.child.kill('SIGTERM');
      const code = await demo.exited;
      stop = true;
      await Promise.all(posters);
      assert.equal(code, 0, 'a clean, graceful exit');
      assert.ok(
        demo.logs.some((l) => l.msg === 'stopped'),
        'it went through the shutdown sequence',
      );
      assert.ok(acked.size > 10, `events were acknowledged before the stop (${acked.size})`);
      const firstLogs = demo.logs;
      demo = await startDemo(env());
      const consumed = () =>
        new Set(
          [...firstLogs, ...demo.logs]
            .filter((l) => l.msg === 'event consumed')
            .map((l) => String(l.event_id)),
        );
      for (let i = 0; i < 150 && [...acked].some((id) => !consumed().has(id)); i++) await sleep(200);
      const lost = [...acked].filter((id) => !consumed().has(id));
      assert.deepEqual(lost, [], `${lost.length} of ${acked.size} acknowledged events were never consumed`);
    },
  );
});
