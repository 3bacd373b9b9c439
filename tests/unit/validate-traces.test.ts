// Traces and log lines as the query APIs answer them, parsed and judged (pure).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  judgeTrace,
  parseJaegerTrace,
  parseLokiStreams,
  parseTempoTrace,
} from '../../lib/validate/traces.js';
import { tempoTrace } from '../helpers/recorded.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

/** A span as Jaeger's query API answers it: times in microseconds, the kind as a tag (absent: internal). */
const jaegerSpan = (
  id: string,
  name: string,
  parent: string | null,
  start: number,
  duration: number,
  kind: string | null,
) => ({
  spanID: id,
  operationName: name,
  references: parent === null ? [] : [{ refType: 'CHILD_OF', spanID: parent }],
  startTime: start,
  duration,
  tags: kind === null ? [] : [{ key: 'span.kind', value: kind }],
  processID: 'p1',
});

describe('trace answers', () => {
  it('Tempo (batches, base64 ids, enum kinds, nanosecond strings) → spans with ms timings', () => {
    const spans = parseTempoTrace(JSON.stringify(tempoTrace(TRACE)));
    assert.deepEqual(
      spans.map((s) => [s.name, s.kind, s.service, s.parent === null ? null : 'child', s.durationMs]),
      [
        ['POST /events', 'server', 'demo-service', null, 4.2],
        ['demo.events publish', 'producer', 'demo-service', 'child', 3.6],
        ['demo.events process', 'consumer', 'demo-service', 'child', 7.5],
      ],
    );
    assert.equal(spans[1]?.parent, spans[0]?.id, 'parents match ids in whatever encoding Tempo used');
  });

  it('Tempo’s v2 shape (trace.resourceSpans), numeric kinds, a span without an end', () => {
    const body = {
      trace: {
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    spanId: 'AQ==',
                    name: 'GET /x',
                    kind: 2,
                    startTimeUnixNano: '1000000',
                    endTimeUnixNano: '0',
                  },
                ],
              },
            ],
          },
        ],
      },
    };
    const [span] = parseTempoTrace(JSON.stringify(body));
    assert.equal(span?.kind, 'server');
    assert.equal(span?.service, 'orders');
    assert.ok(Number.isNaN(span?.durationMs));
    assert.deepEqual(judgeTrace(parseTempoTrace(JSON.stringify(body))).untimed, ['GET /x']);
  });

  it('Jaeger (data[0].spans, references, span.kind tags, microseconds)', () => {
    const body = {
      data: [
        {
          traceID: TRACE,
          spans: [
            jaegerSpan('s1', 'POST /events', null, 1_000, 4_000, 'server'),
            jaegerSpan('s2', 'demo.events publish', 's1', 1_500, 2_000, 'producer'),
            jaegerSpan('s3', 'demo.events process', 's2', 6_000, 9_000, 'consumer'),
            jaegerSpan('s4', 'handle', 's3', 6_100, 8_000, null),
          ],
          processes: { p1: { serviceName: 'demo-service' } },
        },
      ],
    };
    const spans = parseJaegerTrace(JSON.stringify(body));
    assert.deepEqual(
      spans.map((s) => s.kind),
      ['server', 'producer', 'consumer', 'internal'],
    );
    const v = judgeTrace(spans);
    assert.equal(v.complete, true);
    assert.deepEqual(
      v.slowest,
      { name: 'handle', service: 'demo-service', selfMs: 8 },
      'self time, not total',
    );
    // A span without its start time is not a timed span, whatever its duration says.
    const noStart = spans.map((s) => (s.name === 'handle' ? { ...s, startMs: Number.NaN } : s));
    assert.deepEqual(judgeTrace(noStart).untimed, ['handle']);
  });

  it('a trace whose propagation broke: orphans and two roots are not one complete trace', () => {
    const spans = parseTempoTrace(JSON.stringify(tempoTrace(TRACE)));
    const broken = spans.map((s) => (s.name.endsWith('process') ? { ...s, parent: 'gone' } : s));
    const v = judgeTrace(broken);
    assert.equal(v.complete, false);
    assert.equal(v.orphans, 1);
    assert.equal(judgeTrace(spans.map((s) => ({ ...s, parent: null }))).complete, false, 'three roots');
    assert.deepEqual(judgeTrace([]).missing.length, 3);
  });
});

describe('Loki answers', () => {
  it('streams → lines with their labels and time in ms', () => {
    const body = {
      status: 'success',
      data: {
        resultType: 'streams',
        result: [
          {
            stream: { service: 'demo-service', namespace: 'services' },
            values: [['1764118800123456789', '{"msg":"x"}']],
          },
        ],
        stats: {},
      },
    };
    assert.deepEqual(parseLokiStreams(JSON.stringify(body)), [
      {
        labels: { service: 'demo-service', namespace: 'services' },
        tsMs: 1_764_118_800_123,
        line: '{"msg":"x"}',
      },
    ]);
  });

  it('an error or a metric answer is said, not read as no lines', () => {
    assert.throws(() => parseLokiStreams(JSON.stringify({ status: 'error' })), /Loki answered status error/);
    assert.throws(
      () =>
        parseLokiStreams(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } })),
      /a matrix result, not log streams/,
    );
  });
});
