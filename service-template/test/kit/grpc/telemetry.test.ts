import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  Metadata,
  credentials,
  makeGenericClientConstructor,
  status as Status,
  type ServerReadableStream,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { loadHealthProto, loadItemsProto } from '../../../src/kit/grpc/index.js';
import { pastDeadline } from '../../../src/kit/grpc/server-telemetry.js';
import { startTelemetry, type Telemetry } from '../../../src/telemetry/index.js';
import { startKit, type GrpcKit } from './harness.js';

let telemetry: Telemetry | null = null;
function traced(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  telemetry = startTelemetry({ serviceName: 'items', serviceVersion: '1', environment: 'test', exporter });
  return exporter;
}
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = null;
});

const CALLER = '0af7651916cd43dd8448eb211c80319c';
const byKind = (spans: ReadableSpan[], kind: SpanKind): ReadableSpan[] =>
  spans.filter((s) => s.kind === kind);

/** Spans end as the status goes out: wait until `count` have (deadline 2 s, no fixed sleep). */
async function spans(exporter: InMemorySpanExporter, count: number): Promise<ReadableSpan[]> {
  const until = Date.now() + 2_000;
  while (exporter.getFinishedSpans().length < count && Date.now() < until) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  return exporter.getFinishedSpans();
}

/**
 * The metrics text once a call ending with `code` is counted: the server counts a cancelled or timed-out
 * call when the cancel or its own deadline reaches it, after the caller has its error. Polled, with room
 * for a loaded machine (20 s).
 */
async function countedAs(kit: GrpcKit<never>, code: string): Promise<string> {
  const until = Date.now() + 20_000;
  let text = '';
  while (!text.includes(`grpc_code="${code}"`) && Date.now() < until) {
    text = await kit.registry.metrics();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return text;
}

describe('grpc part: spans, metrics and logs', () => {
  it('one SERVER span per call with RPC attributes, its parent from the traceparent metadata, active in the handler', async () => {
    const exporter = traced();
    const active: string[] = [];
    const kit = await startKit({}, {}, () =>
      active.push(trace.getActiveSpan()?.spanContext().spanId ?? 'none'),
    );
    try {
      const metadata = new Metadata();
      metadata.set('traceparent', `00-${CALLER}-b7ad6b7169203331-01`);
      // A bare grpc-js client, as another team's service would call: the kit client would inject its own span.
      const bare = new (await loadItemsProto()).items.v1.ItemService(
        kit.target,
        credentials.createInsecure(),
      );
      await new Promise((resolve, reject) => {
        bare.Get({ id: '1' }, metadata, (e, v) => (e ? reject(e) : resolve(v)));
      });
      bare.close();
      const server = byKind(await spans(exporter, 2), SpanKind.SERVER);
      assert.equal(server.length, 1);
      const span = server[0] as ReadableSpan;
      assert.equal(span.name, 'items.v1.ItemService/Get');
      assert.equal(span.spanContext().traceId, CALLER);
      assert.equal(span.parentSpanContext?.spanId, 'b7ad6b7169203331');
      assert.deepEqual(span.attributes, {
        'rpc.system': 'grpc',
        'rpc.service': 'items.v1.ItemService',
        'rpc.method': 'Get',
        'rpc.grpc.status_code': Status.OK,
      });
      assert.deepEqual(active, [span.spanContext().spanId]);
    } finally {
      await kit.close();
    }
  });

  it("the token check runs in the call's context (it may call out: a key set fetch is the call's child)", async () => {
    const exporter = traced();
    const during: string[] = [];
    const verifyToken = (value: string): Promise<{ sub: string }> => {
      during.push(trace.getActiveSpan()?.spanContext().spanId ?? 'none');
      return Promise.resolve({ sub: value });
    };
    const kit = await startKit({ verifyToken });
    try {
      const metadata = new Metadata();
      metadata.set('authorization', 'Bearer alice');
      await kit.items.Get({ id: '1' }, { metadata });
      const server = byKind(await spans(exporter, 2), SpanKind.SERVER);
      assert.deepEqual(during, [server[0]?.spanContext().spanId]);
    } finally {
      await kit.close();
    }
  });

  it('the kit client makes a CLIENT span, injects it, and the server span is its child; errors mark both', async () => {
    const exporter = traced();
    const kit = await startKit();
    try {
      const parent = trace.getTracer('test').startSpan('caller');
      await context.with(trace.setSpan(context.active(), parent), () =>
        kit.items.Get({ id: 'boom' }).catch(() => null),
      );
      parent.end();
      const all = await spans(exporter, 3);
      const client = byKind(all, SpanKind.CLIENT)[0];
      const server = byKind(all, SpanKind.SERVER)[0];
      assert.ok(client && server);
      assert.equal(client.parentSpanContext?.spanId, parent.spanContext().spanId);
      assert.equal(server.parentSpanContext?.spanId, client.spanContext().spanId);
      assert.equal(server.attributes['rpc.grpc.status_code'], Status.INTERNAL);
      assert.equal(server.status.code, SpanStatusCode.ERROR);
      assert.equal(client.status.code, SpanStatusCode.ERROR);
      // NOT_FOUND is the caller's doing: no error on the server span (RPC semantic conventions).
      exporter.reset();
      await kit.items.Get({ id: '404' }).catch(() => null);
      const notFound = byKind(await spans(exporter, 2), SpanKind.SERVER)[0];
      assert.equal(notFound?.attributes['rpc.grpc.status_code'], Status.NOT_FOUND);
      assert.equal(notFound?.status.code, SpanStatusCode.UNSET);
    } finally {
      await kit.close();
    }
  });

  it("a client-streaming handler reads every message in its call's context (a unary one only needs it at half-close)", async () => {
    const exporter = traced();
    const kit = await startKit();
    const json = {
      serialize: (value: unknown) => Buffer.from(JSON.stringify(value)),
      deserialize: (bytes: Buffer) => JSON.parse(bytes.toString()) as unknown,
    };
    const definition = {
      Sum: {
        path: '/numbers.v1.Numbers/Sum',
        requestStream: true,
        responseStream: false,
        requestSerialize: json.serialize,
        requestDeserialize: json.deserialize,
        responseSerialize: json.serialize,
        responseDeserialize: json.deserialize,
      },
    };
    const seen: (string | undefined)[] = [];
    kit.part.handle.server.addService(definition, {
      Sum: (call: ServerReadableStream<number, number>, respond: sendUnaryData<number>) => {
        let sum = 0;
        call.on('data', (n: number) => {
          seen.push(trace.getActiveSpan()?.spanContext().spanId);
          sum += n;
        });
        call.on('end', () => respond(null, sum));
      },
    });
    const Numbers = makeGenericClientConstructor(definition, 'Numbers');
    const client = new Numbers(kit.target, credentials.createInsecure());
    try {
      const sum = await new Promise((resolve, reject) => {
        const stream = client.makeClientStreamRequest(
          definition.Sum.path,
          json.serialize,
          json.deserialize,
          (error: unknown, value: unknown) => (error ? reject(error) : resolve(value)),
        );
        for (const n of [1, 2, 3]) stream.write(n);
        stream.end();
      });
      assert.equal(sum, 6);
      const server = byKind(await spans(exporter, 1), SpanKind.SERVER)[0];
      assert.equal(server?.name, 'numbers.v1.Numbers/Sum');
      assert.deepEqual(seen, Array(3).fill(server?.spanContext().spanId));
    } finally {
      client.close();
      await kit.close();
    }
  });

  it('grpc_server_handled_total and grpc_server_handling_seconds by service, method and code; one log line per call; health checks quiet', async () => {
    const kit = await startKit();
    try {
      await kit.items.Get({ id: '1' });
      await kit.items.Get({ id: '1' });
      await kit.items.Get({ id: '404' }).catch(() => null);
      const health = kit.part.handle.client((await loadHealthProto()).grpc.health.v1.Health, kit.target);
      await health.Check({ service: '' });
      const text = await kit.registry.metrics();
      const labels = 'grpc_type="unary",grpc_service="items.v1.ItemService",grpc_method="Get"';
      assert.match(text, new RegExp(`grpc_server_handled_total\\{${labels},grpc_code="OK"\\} 2`));
      assert.match(text, new RegExp(`grpc_server_handled_total\\{${labels},grpc_code="NOT_FOUND"\\} 1`));
      assert.match(text, new RegExp(`grpc_server_handling_seconds_count\\{${labels},grpc_code="OK"\\} 2`));
      assert.doesNotMatch(text, /grpc\.health/);
      const lines = kit.logs.filter((l) => l.msg === 'call completed');
      assert.deepEqual(
        lines.map((l) => [l.rpc, l.grpc_code]),
        [
          ['/items.v1.ItemService/Get', 'OK'],
          ['/items.v1.ItemService/Get', 'OK'],
          ['/items.v1.ItemService/Get', 'NOT_FOUND'],
        ],
      );
      assert.equal(typeof lines[0]?.duration_ms, 'number');
    } finally {
      await kit.close();
    }
  });

  it('a cancel close to the deadline is the deadline, one well before it is the caller leaving', () => {
    // [ms left to the server's deadline, ms elapsed]: the first is a 100 ms call seen cancelled 2 ms early.
    const timedOut = [
      [2, 98],
      [0, 100],
      [-5, 105],
      [19, 81],
      [49, 9_951],
    ];
    const left = [
      [30, 70],
      [21, 79],
      [60, 9_940],
      [4_000, 1_000],
      [1, 1],
    ];
    assert.deepEqual(
      [...timedOut, ...left].map(([remaining = 0, elapsed = 0]) => pastDeadline(remaining, elapsed)),
      [...timedOut.map(() => true), ...left.map(() => false)],
    );
  });

  it('a call its caller aborts long before the deadline is counted CANCELLED', async () => {
    const controller = new AbortController();
    const kit = await startKit({}, {}, () => controller.abort());
    try {
      await kit.items.Get({ id: 'slow' }, { signal: controller.signal }).catch(() => null);
      const text = await countedAs(kit, 'CANCELLED');
      assert.match(text, /grpc_server_handled_total\{[^}]*grpc_code="CANCELLED"\} 1/);
      assert.doesNotMatch(text, /DEADLINE_EXCEEDED/);
    } finally {
      await kit.close();
    }
  });

  it('a call grpc-js refuses itself (a message over GRPC_MAX_MESSAGE_BYTES) is recorded with its status, not CANCELLED', async () => {
    const kit = await startKit({}, { GRPC_MAX_MESSAGE_BYTES: '1024' });
    const sender = await startKit(); // a client whose own limit lets the message go
    try {
      const proto = await loadItemsProto();
      const items = sender.part.handle.client(proto.items.v1.ItemService, kit.target);
      const refused = await items.Create({ name: 'x'.repeat(4_096), quantity: 1 }).catch((e: unknown) => e);
      assert.ok(refused instanceof Error);
      const text = await countedAs(kit, 'RESOURCE_EXHAUSTED');
      assert.match(
        text,
        /grpc_server_handled_total\{[^}]*grpc_method="Create",grpc_code="RESOURCE_EXHAUSTED"\} 1/,
      );
      assert.doesNotMatch(text, /grpc_code="CANCELLED"/);
      const line = kit.logs.find((l) => l.msg === 'call completed');
      assert.equal(line?.grpc_code, 'RESOURCE_EXHAUSTED');
    } finally {
      await Promise.all([kit.close(), sender.close()]);
    }
  });

  it('a call past its deadline is counted DEADLINE_EXCEEDED', async () => {
    const kit = await startKit();
    try {
      await kit.items.Get({ id: '1' });
      await kit.items.Get({ id: 'slow' }, { deadlineMs: 100 }).catch(() => null);
      const text = await countedAs(kit, 'DEADLINE_EXCEEDED');
      assert.match(text, /grpc_server_handled_total\{[^}]*grpc_code="DEADLINE_EXCEEDED"\} 1/);
    } finally {
      await kit.close();
    }
  });
});
