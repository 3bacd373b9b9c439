import {
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';

export { SpanKind };

export interface TelemetryOptions {
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly environment: string;
  /** OTLP/HTTP base URL (`http://collector:4318`); traces go to `<endpoint>/v1/traces` as protobuf. */
  readonly otlpEndpoint?: string | undefined;
  /** An exporter of your own (tests): each span is handed to it as it ends. Wins over the endpoint. */
  readonly exporter?: SpanExporter;
  /**
   * Sample this share of new traces (0-1), parent-based: a request that arrives with a trace context
   * follows its caller's decision. Unset: OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, else everything.
   */
  readonly sampleRatio?: number;
  /** Instrumentations to register (none by default: HTTP servers use httpTelemetry's hooks). */
  readonly instrumentations?: NonNullable<ConstructorParameters<typeof NodeSDK>[0]>['instrumentations'];
}

export interface Telemetry {
  /** False when there is nowhere to send spans: the API then hands out no-op spans, at no cost. */
  readonly enabled: boolean;
  /** Flush what is buffered and stop. Call once, last, on shutdown. */
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry for a process: NodeSDK with an OTLP http/protobuf exporter and a resource carrying
 * service.name, service.version and deployment.environment, parent-based ratio sampling when asked.
 * Without an endpoint nothing is started.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  // Spans to OTLP in batches (the SDK's BatchSpanProcessor, tuned by OTEL_BSP_*), or to a test's exporter.
  const spans = options.exporter
    ? { spanProcessors: [new SimpleSpanProcessor({ exporter: options.exporter })] }
    : options.otlpEndpoint
      ? {
          traceExporter: new OTLPTraceExporter({
            url: `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces`,
          }),
        }
      : null;
  if (spans === null) return { enabled: false, shutdown: () => Promise.resolve() };
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      'service.name': options.serviceName,
      'service.version': options.serviceVersion,
      'deployment.environment': options.environment,
      'deployment.environment.name': options.environment,
    }),
    resourceDetectors: [],
    ...spans,
    ...(options.sampleRatio === undefined
      ? {}
      : { sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio) }) }),
    // Traces only: metrics are Prometheus's (pulled from /metrics), logs go to stdout. Without these the SDK
    // would push OTLP metrics and logs to the same endpoint by default.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: options.instrumentations ?? [],
  });
  sdk.start();
  let stopped: Promise<void> | null = null;
  const stop = async (): Promise<void> => {
    await sdk.shutdown();
    // Release the global API so a later start in the same process (tests, a restart) registers cleanly.
    trace.disable();
    propagation.disable();
    context.disable();
  };
  return { enabled: true, shutdown: () => (stopped ??= stop()) };
}

export function tracer(name: string, version?: string): Tracer {
  return trace.getTracer(name, version);
}

/**
 * Run `fn` inside a new active span: the span ends when `fn` settles, and an error is recorded on it
 * (status ERROR) before it is rethrown.
 */
export async function withSpan<T>(
  t: Tracer,
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  return t.startActiveSpan(name, options, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : new Error(String(error)));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** W3C trace context of the active span as headers (for Kafka messages, outgoing calls). */
export function injectContext(
  carrier: Record<string, string> = {},
  from: Context = context.active(),
): Record<string, string> {
  propagation.inject(from, carrier);
  return carrier;
}

/** The context carried in headers (Kafka header values arrive as Buffers). */
export function extractContext(
  headers: Readonly<Record<string, string | Buffer | (string | Buffer)[] | undefined>>,
): Context {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) carrier[key] = first.toString();
  }
  return propagation.extract(context.active(), carrier);
}
