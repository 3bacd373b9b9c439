import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTelemetry, tracer } from '../../lib/telemetry/index.js';
import { useServer } from './servers.js';

const jaeger = await useServer('jaeger');

interface JaegerTraces {
  data: {
    traceID: string;
    spans: { operationName: string; processID: string }[];
    processes: Record<string, { serviceName: string; tags?: { key: string; value: unknown }[] }>;
  }[];
}

describe('Jaeger v2 test server', { skip: jaeger.skip }, () => {
  it(
    'finds a span sent by lib/telemetry over OTLP by its trace id, with its resource',
    { timeout: 30_000 },
    async () => {
      const telemetry = startTelemetry({
        serviceName: 'foundation-proof',
        serviceVersion: '1.0.0',
        environment: 'test',
        otlpEndpoint: jaeger.env.OTEL_EXPORTER_OTLP_ENDPOINT,
      });
      const span = tracer('proof').startSpan('proof-span', { attributes: { proof: true } });
      const traceId = span.spanContext().traceId;
      span.end();
      await telemetry.shutdown(); // flushes the batch to the collector
      let found: JaegerTraces['data'][number] | undefined;
      for (let i = 0; i < 60 && !found; i++) {
        const res = await fetch(`${jaeger.env.JAEGER_QUERY_URL ?? ''}/api/traces/${traceId}`);
        if (res.ok) found = ((await res.json()) as JaegerTraces).data[0];
        else await sleep(250);
      }
      assert.ok(found, `trace ${traceId} is in Jaeger`);
      const span0 = found.spans[0];
      const process = span0 === undefined ? undefined : found.processes[span0.processID];
      const tag = (key: string): unknown => process?.tags?.find((t) => t.key === key)?.value;
      assert.deepEqual(
        {
          traceId: found.traceID,
          operation: span0?.operationName,
          service: process?.serviceName,
          version: tag('service.version'),
          environment: tag('deployment.environment.name'),
        },
        {
          traceId,
          operation: 'proof-span',
          service: 'foundation-proof',
          version: '1.0.0',
          environment: 'test',
        },
      );
    },
  );
});
