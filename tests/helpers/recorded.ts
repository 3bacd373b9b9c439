// API answers in the shapes Tempo and Loki give them, built here so a test can put its own trace id,
// durations and retention in. Where each shape is documented (Loki and Tempo cannot run on this machine):
// - Tempo `GET /api/traces/<id>`: `batches` of OTLP resource spans as protobuf-JSON — ids base64, kinds as
//   enum names (left out when unspecified), times as strings of nanoseconds (Tempo v2.5.0 docs,
//   api_docs/pushing-spans-with-http.md, and its vulture test data; from 2.6 the v1 endpoint still writes
//   `batches`, the v2 endpoint `{ trace: { resourceSpans } }`).
// - Tempo `GET /status/config`: YAML after a `---` line, 4-space indent, Go durations (`168h0m0s`)
//   (cmd/tempo/app/app.go writeStatusConfig; tempodb/config.go block_retention is a time.Duration).
// - Loki `GET /config`: YAML, no `---`; retention_period is a Prometheus model.Duration, so 336h prints
//   `2w` (pkg/validation/limits.go; prometheus/common model/time.go).

const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });

/**
 * Tempo 2.x `GET /api/traces/<id>`: OTLP as protobuf-JSON — `batches` of resource spans, ids base64,
 * kinds as enum names, times as strings of Unix nanoseconds. The demo's three spans: POST /events (server)
 * → demo.events publish (producer) → demo.events process (consumer, the slowest by self time).
 */
export function tempoTrace(traceIdHex: string, o: { withConsumer?: boolean } = {}): unknown {
  const t0 = 1_764_118_800_000_000_000n; // 2025-11-26T01:00:00Z in ns
  const span = (id: string, parent: string, name: string, kind: string, startUs: number, endUs: number) => ({
    traceId: b64(traceIdHex),
    spanId: b64(id),
    ...(parent === '' ? {} : { parentSpanId: b64(parent) }),
    name,
    kind,
    startTimeUnixNano: String(t0 + BigInt(startUs) * 1000n),
    endTimeUnixNano: String(t0 + BigInt(endUs) * 1000n),
    attributes: [attr('messaging.system', 'kafka')],
    status: {},
  });
  const spans = [
    span('a1a1a1a1a1a1a1a1', '', 'POST /events', 'SPAN_KIND_SERVER', 0, 4_200),
    span('b2b2b2b2b2b2b2b2', 'a1a1a1a1a1a1a1a1', 'demo.events publish', 'SPAN_KIND_PRODUCER', 300, 3_900),
    ...(o.withConsumer === false
      ? []
      : [
          span(
            'c3c3c3c3c3c3c3c3',
            'b2b2b2b2b2b2b2b2',
            'demo.events process',
            'SPAN_KIND_CONSUMER',
            5_000,
            12_500,
          ),
        ]),
  ];
  return {
    batches: [
      {
        resource: {
          attributes: [attr('service.name', 'demo-service'), attr('deployment.environment', 'local')],
        },
        scopeSpans: [{ scope: { name: 'kafka' }, spans }],
      },
    ],
  };
}

/** Loki 3.x `GET /config`: the whole configuration as YAML; the part validate reads. */
export const lokiConfig = (retention: string): string =>
  [
    'target: all',
    'auth_enabled: false',
    'server:',
    '  http_listen_port: 3100',
    'limits_config:',
    '  ingestion_rate_mb: 4',
    `  retention_period: ${retention}`,
    '  max_query_lookback: 0s',
    'compactor:',
    '  working_directory: /var/loki/compactor',
    '  retention_enabled: true',
    '',
  ].join('\n');

/** Tempo 2.x `GET /status/config`: YAML, durations as Go prints them (`168h0m0s`). */
export const tempoConfig = (retention: string): string =>
  [
    '---',
    'target: all',
    'server:',
    '    http_listen_port: 3200',
    'compactor:',
    '    compaction:',
    `        block_retention: ${retention}`,
    '        compacted_block_retention: 1h0m0s',
    '',
  ].join('\n');
