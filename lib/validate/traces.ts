/**
 * Traces and log lines as the query APIs return them (Tempo, Jaeger, Loki), parsed into plain data and
 * judged. Pure: the probes fetch, these read.
 */

export type SpanKind = 'server' | 'client' | 'producer' | 'consumer' | 'internal' | 'unknown';

export interface TraceSpan {
  readonly id: string;
  /** null for a root span. */
  readonly parent: string | null;
  readonly name: string;
  readonly kind: SpanKind;
  readonly service: string;
  readonly startMs: number;
  /** NaN when the span has no end. */
  readonly durationMs: number;
}

const KINDS: readonly SpanKind[] = ['unknown', 'internal', 'server', 'client', 'producer', 'consumer'];

/** OTLP's kind as JSON: `SPAN_KIND_SERVER` or its number (2). */
function otlpKind(kind: unknown): SpanKind {
  if (typeof kind === 'number') return KINDS[kind] ?? 'unknown';
  if (typeof kind !== 'string') return 'unknown';
  const name = kind.replace(/^SPAN_KIND_/, '').toLowerCase();
  return (KINDS as readonly string[]).includes(name) ? (name as SpanKind) : 'unknown';
}

interface OtlpValue {
  stringValue?: string;
}
interface OtlpSpan {
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: string | number;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
}
interface OtlpScope {
  spans?: OtlpSpan[];
}
interface OtlpBatch {
  resource?: { attributes?: { key?: string; value?: OtlpValue }[] };
  scopeSpans?: OtlpScope[];
  instrumentationLibrarySpans?: OtlpScope[];
}

const nanos = (v: string | number | undefined): bigint | null => {
  if (v === undefined || v === '' || v === 0 || v === '0') return null;
  try {
    return BigInt(v);
  } catch {
    return null;
  }
};

/**
 * Tempo's `GET /api/traces/<id>` (`{ batches }`) or `/api/v2/traces/<id>` (`{ trace: { resourceSpans } }`):
 * OTLP as JSON. Ids are compared as given (Tempo writes them base64 or hex depending on the version).
 */
export function parseTempoTrace(body: string): TraceSpan[] {
  const doc = JSON.parse(body) as { batches?: OtlpBatch[]; trace?: { resourceSpans?: OtlpBatch[] } };
  const batches = doc.batches ?? doc.trace?.resourceSpans ?? [];
  const out: TraceSpan[] = [];
  for (const b of batches) {
    const service = b.resource?.attributes?.find((a) => a.key === 'service.name')?.value?.stringValue ?? '?';
    for (const scope of b.scopeSpans ?? b.instrumentationLibrarySpans ?? [])
      for (const s of scope.spans ?? []) {
        const start = nanos(s.startTimeUnixNano);
        const end = nanos(s.endTimeUnixNano);
        out.push({
          id: s.spanId ?? '',
          parent: s.parentSpanId === undefined || s.parentSpanId === '' ? null : s.parentSpanId,
          name: s.name ?? '',
          kind: otlpKind(s.kind),
          service,
          startMs: start === null ? NaN : Number(start / 1000n) / 1000,
          durationMs: start === null || end === null || end < start ? NaN : Number(end - start) / 1e6,
        });
      }
  }
  return out;
}

interface JaegerSpan {
  spanID?: string;
  operationName?: string;
  references?: { refType?: string; spanID?: string }[];
  startTime?: number;
  duration?: number;
  tags?: { key?: string; value?: unknown }[];
  processID?: string;
}

/** Jaeger's `GET /api/traces/<id>` (`{ data: [{ spans, processes }] }`); times in microseconds. */
export function parseJaegerTrace(body: string): TraceSpan[] {
  const doc = JSON.parse(body) as {
    data?: { spans?: JaegerSpan[]; processes?: Record<string, { serviceName?: string }> }[];
  };
  const trace = doc.data?.[0];
  return (trace?.spans ?? []).map((s) => {
    const kind = s.tags?.find((t) => t.key === 'span.kind')?.value;
    return {
      id: s.spanID ?? '',
      parent: s.references?.find((r) => r.refType === 'CHILD_OF')?.spanID ?? null,
      name: s.operationName ?? '',
      kind:
        typeof kind === 'string' && (KINDS as readonly string[]).includes(kind)
          ? (kind as SpanKind)
          : 'internal',
      service: trace?.processes?.[s.processID ?? '']?.serviceName ?? '?',
      startMs: typeof s.startTime === 'number' ? s.startTime / 1000 : NaN,
      durationMs: typeof s.duration === 'number' ? s.duration / 1000 : NaN,
    };
  });
}

/** What the demo's trace must hold: the HTTP request, the publish, the processing, one tree. */
export interface TraceVerdict {
  readonly complete: boolean;
  /** Which of the expected spans are missing, in words. */
  readonly missing: readonly string[];
  /** Spans whose parent is not in the trace (a broken propagation). */
  readonly orphans: number;
  /** Spans with no usable start or duration. */
  readonly untimed: readonly string[];
  /** The span with the longest self time (its duration minus its children's). */
  readonly slowest: { readonly name: string; readonly service: string; readonly selfMs: number } | null;
}

export function judgeTrace(spans: readonly TraceSpan[]): TraceVerdict {
  const expect: [string, (s: TraceSpan) => boolean][] = [
    ['HTTP server span for POST /events', (s) => s.kind === 'server' && /\/events\b/.test(s.name)],
    ['producer span (… publish)', (s) => s.kind === 'producer' || /\bpublish$/.test(s.name)],
    ['consumer span (… process)', (s) => s.kind === 'consumer' || /\bprocess$/.test(s.name)],
  ];
  const missing = expect.filter(([, is]) => !spans.some(is)).map(([what]) => what);
  const ids = new Set(spans.map((s) => s.id));
  const orphans = spans.filter((s) => s.parent !== null && !ids.has(s.parent)).length;
  const roots = spans.filter((s) => s.parent === null).length;
  const untimed = spans
    .filter((s) => !(Number.isFinite(s.durationMs) && s.durationMs >= 0 && Number.isFinite(s.startMs)))
    .map((s) => s.name);
  const childTime = new Map<string, number>();
  for (const s of spans)
    if (s.parent !== null && Number.isFinite(s.durationMs))
      childTime.set(s.parent, (childTime.get(s.parent) ?? 0) + s.durationMs);
  let slowest: TraceVerdict['slowest'] = null;
  for (const s of spans) {
    if (!Number.isFinite(s.durationMs)) continue;
    const selfMs = Math.max(0, s.durationMs - (childTime.get(s.id) ?? 0));
    if (slowest === null || selfMs > slowest.selfMs) slowest = { name: s.name, service: s.service, selfMs };
  }
  return {
    complete: spans.length > 0 && missing.length === 0 && orphans === 0 && roots === 1,
    missing,
    orphans,
    untimed,
    slowest,
  };
}

export interface LogLine {
  readonly labels: Readonly<Record<string, string>>;
  /** Unix time in milliseconds. */
  readonly tsMs: number;
  readonly line: string;
}

/** Loki's `GET /loki/api/v1/query_range` answer for a log query (`resultType: streams`). */
export function parseLokiStreams(body: string): LogLine[] {
  const doc = JSON.parse(body) as {
    status?: string;
    data?: {
      resultType?: string;
      result?: { stream?: Record<string, string>; values?: [string, string][] }[];
    };
  };
  if (doc.status !== 'success') throw new Error(`Loki answered status ${String(doc.status)}`);
  if (doc.data?.resultType !== 'streams')
    throw new Error(`Loki answered a ${String(doc.data?.resultType)} result, not log streams`);
  return (doc.data.result ?? []).flatMap((r) =>
    (r.values ?? []).map(([ns, line]) => ({
      labels: r.stream ?? {},
      tsMs: Number(BigInt(ns) / 1_000_000n),
      line,
    })),
  );
}
