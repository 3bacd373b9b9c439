import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { useServer } from './servers.js';

const jaeger = await useServer('jaeger');

interface JaegerTraces {
  data: {
    traceID: string;
    spans: { operationName: string; processID: string }[];
    processes: Record<string, { serviceName: string }>;
  }[];
}

describe('Jaeger v2 test server', { skip: jaeger.skip }, () => {
  it(
    'finds a span sent by @opentelemetry/sdk-node over OTLP by its trace id',
    { timeout: 30_000 },
    async () => {
      const sdk = new NodeSDK({
        resource: resourceFromAttributes({ 'service.name': 'foundation-proof' }),
        traceExporter: new OTLPTraceExporter({
          url: `${jaeger.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? ''}/v1/traces`,
        }),
        instrumentations: [],
      });
      sdk.start();
      const span = trace.getTracer('proof').startSpan('proof-span', { attributes: { proof: true } });
      const traceId = span.spanContext().traceId;
      span.end();
      await sdk.shutdown(); // flushes the batch to the collector
      let found: JaegerTraces['data'][number] | undefined;
      for (let i = 0; i < 60 && !found; i++) {
        const res = await fetch(`${jaeger.env.JAEGER_QUERY_URL ?? ''}/api/traces/${traceId}`);
        if (res.ok) found = ((await res.json()) as JaegerTraces).data[0];
        else await sleep(250);
      }
      assert.ok(found, `trace ${traceId} is in Jaeger`);
      const span0 = found.spans[0];
      const service = span0 === undefined ? undefined : found.processes[span0.processID]?.serviceName;
      assert.deepEqual(
        { traceId: found.traceID, operation: span0?.operationName, service },
        { traceId, operation: 'proof-span', service: 'foundation-proof' },
      );
    },
  );
});
