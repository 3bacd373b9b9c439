import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { startTelemetry, type Telemetry } from '../../../src/telemetry/index.js';
import { realServer } from '../servers.js';
import { scratchDatabase, start, type ScratchDatabase, type Started } from './harness.js';

const server = realServer('TEST_DATABASE_URL', 'PostgreSQL 17');

// The instrumentation is applied by the part's start, after pg was imported and with no loader hook:
// these tests show its spans arrive anyway.
describe('postgres spans', { skip: server.skip }, () => {
  let scratch: ScratchDatabase;
  let s: Started;
  let telemetry: Telemetry;
  const exporter = new InMemorySpanExporter();
  before(async () => {
    scratch = await scratchDatabase(server.url);
    s = await start({ DATABASE_URL: scratch.url, DB_MIGRATE: 'off' });
    telemetry = startTelemetry({ serviceName: 'svc', serviceVersion: '1', environment: 'test', exporter });
  });
  after(async () => {
    await telemetry.shutdown();
    await s.part.close();
    await scratch.drop();
  });

  const inSpan = <T>(fn: () => Promise<T>): Promise<T> =>
    trace.getTracer('test').startActiveSpan('request', async (span) => {
      try {
        return await fn();
      } finally {
        span.end();
      }
    });

  it('gives a query inside a request a CLIENT span with parameterised SQL and no values', async () => {
    exporter.reset();
    await inSpan(() => s.db.query('SELECT $1::text AS secret_value', ['hunter22']));
    const request = exporter.getFinishedSpans().find((x) => x.name === 'request');
    const query = exporter.getFinishedSpans().find((x) => x.name.startsWith('pg.query:SELECT'));
    assert.ok(request && query, JSON.stringify(exporter.getFinishedSpans().map((x) => x.name)));
    assert.equal(query.kind, SpanKind.CLIENT);
    assert.equal(query.parentSpanContext?.spanId, request.spanContext().spanId);
    assert.equal(query.attributes['db.system.name'], 'postgresql');
    assert.equal(query.attributes['db.operation.name'], 'SELECT');
    assert.equal(query.attributes['db.query.text'], 'SELECT $1::text AS secret_value');
    assert.equal(query.attributes['db.namespace'], new URL(scratch.url).pathname.slice(1));
    const all = JSON.stringify(exporter.getFinishedSpans().map((x) => x.attributes));
    assert.doesNotMatch(all, /hunter22/);
    assert.doesNotMatch(all, new RegExp(decodeURIComponent(new URL(scratch.url).password)));
  });

  it('records a failed query as an error span', async () => {
    exporter.reset();
    await assert.rejects(inSpan(() => s.db.query('SELECT * FROM no_such_table')));
    const query = exporter.getFinishedSpans().find((x) => x.name.startsWith('pg.query:SELECT'));
    assert.equal(query?.status.code, SpanStatusCode.ERROR);
  });

  it('groups a transaction’s statements under a TRANSACTION span', async () => {
    exporter.reset();
    await inSpan(() => s.db.transaction((tx) => tx.query('SELECT 1')));
    const spans = exporter.getFinishedSpans();
    const tx = spans.find((x) => x.name === 'TRANSACTION');
    assert.ok(tx);
    assert.equal(tx.attributes['db.transaction.attempts'], 1);
    const children = spans
      .filter((x) => x.parentSpanContext?.spanId === tx.spanContext().spanId)
      .map((x) => x.name);
    for (const op of ['BEGIN', 'SELECT', 'COMMIT'])
      assert.ok(
        children.some((n) => n.startsWith(`pg.query:${op}`)),
        `${op} in ${JSON.stringify(children)}`,
      );
  });

  it('makes no spans for queries outside a traced request (probes, start-up)', async () => {
    exporter.reset();
    await s.db.query('SELECT 1');
    assert.equal((await s.part.readiness?.check())?.ready, true);
    assert.deepEqual(
      exporter.getFinishedSpans().map((x) => x.name),
      [],
    );
  });
});
