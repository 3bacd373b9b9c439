import type { HttpProbe } from '../ports/validation.js';
import { notFound, poll, type EndToEndTiming, type EndToEndUrls, type Hop } from './e2e.js';
import { sameFor, type Observation, type Observations } from './judge.js';
import { DEMO_JOB } from './platform-evidence.js';
import { HTTP_TIMEOUT_MS } from './within.js';
import {
  judgeTrace,
  parseJaegerTrace,
  parseLokiStreams,
  parseTempoTrace,
  type LogLine,
  type TraceSpan,
} from './traces.js';

const LOG_FIX = 'foundation run 0-5 (compose: 0-7); then in Grafana → Explore → Loki run the query';
const TRACE_FIX = 'foundation run 0-6 (compose: 0-7); is OTEL_EXPORTER_OTLP_ENDPOINT set for the demo?';

/** The most lines a Loki query here asks for (Loki's default). */
const LOKI_LIMIT = 100;

/** A Loki range query over the last few minutes, as the report shows it and as it is sent. */
export function lokiRange(url: string, logql: string, fromMs: number, toMs: number): string {
  const q = new URLSearchParams({
    query: logql,
    start: `${fromMs}000000`,
    end: `${toMs}000000`,
    limit: String(LOKI_LIMIT),
    direction: 'backward',
  });
  return `${url}/loki/api/v1/query_range?${q.toString()}`;
}

/** The lines a Loki range query returns, and how long Loki took; throws on an answer other than 200. */
async function lokiLines(
  http: HttpProbe,
  url: string,
  logql: string,
  fromMs: number,
  toMs: number,
): Promise<{ lines: LogLine[]; ms: number }> {
  const r = await http.get(lokiRange(url, logql, fromMs, toMs), HTTP_TIMEOUT_MS);
  if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`);
  return { lines: parseLokiStreams(r.body), ms: r.ms };
}

/**
 * Loki: the event's log line found by its trace id (AC4), how long that search took (AC5), and a filter by
 * service and time that returns only that service's lines inside the window (AC6).
 */
export async function logObservations(
  http: HttpProbe,
  url: string | null,
  ids: { traceId: string | null; eventId: string },
  t: EndToEndTiming,
): Promise<{ hops: Hop[]; observations: Observations }> {
  const all = ['REQ-0.3/AC4', 'REQ-0.3/AC5', 'REQ-0.3/AC6'];
  if (url === null) {
    const absent: Observation = {
      kind: 'absent',
      reason: 'no address for Loki on this target: set LOKI_URL',
    };
    return { hops: [], observations: sameFor(all, absent) };
  }
  const needle = ids.traceId ?? ids.eventId;
  const logql = `{service="${DEMO_JOB}"} |= "${needle}"`;
  let searchMs = NaN;
  const from = Date.now() - 5 * 60_000;
  const found = await poll(t, async () => {
    const { lines, ms } = await lokiLines(http, url, logql, from, Date.now() + 60_000);
    searchMs = ms;
    return lines.length > 0 ? lines : null;
  });
  const hop: Hop = {
    name: 'logged',
    found: found.value !== null,
    ...(found.value !== null ? { queried: { component: 'Loki', ms: searchMs } } : {}),
    ms: found.ms,
    query: `LogQL ${logql}`,
    detail:
      found.value !== null
        ? `${found.value.length} line(s), e.g. ${found.value[0]?.line.slice(0, 160) ?? ''}`
        : notFound('not found', t, found.error),
  };
  if (found.value === null) {
    const e: Observation = {
      kind: 'error',
      reason: `Loki at ${url}: ${found.error ?? `no line of the event within ${t.hopTimeoutMs / 1000} s`}`,
      fix: LOG_FIX,
      how: `LogQL ${logql}`,
    };
    return { hops: [hop], observations: sameFor(all, e) };
  }
  const withTrace = ids.traceId !== null && found.value.some((l) => l.line.includes(ids.traceId ?? ''));
  const out: Record<string, Observation> = {
    'REQ-0.3/AC4': {
      kind: 'fact',
      holds: true,
      detail: `the demo's log line of the event is in Loki${withTrace ? ', carrying its trace id' : ' (the demo exported no trace id)'}`,
      how: `LogQL ${logql}`,
    },
    'REQ-0.3/AC5': {
      kind: 'value',
      value: Math.round(searchMs),
      unit: 'ms',
      how: `LogQL ${logql}`,
      fix: LOG_FIX,
    },
  };
  out['REQ-0.3/AC6'] = await filterObservation(http, url, needle, found.value);
  return { hops: [hop], observations: out };
}

/**
 * REQ-0.3/AC6, filtering by service and time returns only matching lines, judged on lines known to be
 * there: `{service="<demo>"}` over a window around the event returns the event's line and nothing of
 * another service or outside the window; the same search for the event over a window ending just before
 * it returns nothing; and every service's lines in the window show what the service filter left out.
 */
async function filterObservation(
  http: HttpProbe,
  url: string,
  needle: string,
  event: readonly LogLine[],
): Promise<Observation> {
  const at = Math.min(...event.map((l) => l.tsMs));
  const from = at - 60_000;
  const to = Date.now();
  const filter = `{service="${DEMO_JOB}"}`;
  const how = `LogQL ${filter}, and ${filter} |= "${needle}", from a minute before the event to now; the latter up to 1 ms before the event; {service=~".+"} over the window`;
  const ask = async (logql: string, start: number, end: number): Promise<LogLine[]> =>
    (await lokiLines(http, url, logql, start, end)).lines;
  try {
    const lines = await ask(filter, from, to);
    // The event by its id in the same window: a busy demo's newest 100 lines may not reach back to it.
    const event = await ask(`${filter} |= "${needle}"`, from, to);
    const before = await ask(`${filter} |= "${needle}"`, at - 10 * 60_000, at - 1);
    const everyone = await ask('{service=~".+"}', from, to);
    const returned = [...lines, ...event];
    const stray = returned.filter((l) => l.labels.service !== DEMO_JOB || l.tsMs < from || l.tsMs > to);
    const hasEvent = event.some((l) => l.line.includes(needle));
    const others = everyone.filter((l) => l.labels.service !== DEMO_JOB);
    const services = new Set(others.map((l) => l.labels.service)).size;
    const atLeast = everyone.length >= LOKI_LIMIT ? 'at least ' : '';
    const leftOut =
      others.length > 0
        ? `the filter left out ${atLeast}${others.length} line(s) of ${services} other service(s) in the window`
        : 'no other service logged in the window';
    const problems = [
      lines.length === 0 ? 'the filter returned nothing' : null,
      stray.length > 0
        ? `${stray.length} of its ${returned.length} line(s) outside the service or the window`
        : null,
      lines.length > 0 && !hasEvent ? "the event's line was not among them" : null,
      before.length > 0
        ? `a window ending before the event still returned ${before.length} line(s) of it`
        : null,
    ].filter((x): x is string => x !== null);
    return {
      kind: 'fact',
      holds: problems.length === 0,
      detail:
        problems.length > 0
          ? problems.join('; ')
          : `${lines.length} line(s) of ${DEMO_JOB}, the event's among them, none outside the service or the window; a window ending before the event returned none of it; ${leftOut}`,
      how,
      fix: LOG_FIX,
    };
  } catch (e) {
    return { kind: 'error', reason: `Loki at ${url}: ${String(e)}`, fix: LOG_FIX, how };
  }
}

/** The event's trace by its id: complete (AC7), its slowest span named (AC8), every span timed (AC9). */
export async function traceObservations(
  http: HttpProbe,
  traces: EndToEndUrls['traces'],
  traceId: string | null,
  t: EndToEndTiming,
): Promise<{ hops: Hop[]; observations: Observations }> {
  const all = ['REQ-0.3/AC7', 'REQ-0.3/AC8', 'REQ-0.3/AC9'];
  if (traces === null) {
    const absent: Observation = {
      kind: 'absent',
      reason: 'no address for Tempo on this target: set TEMPO_URL',
    };
    return { hops: [], observations: sameFor(all, absent) };
  }
  const url = `${traces.url}/api/traces/${traceId ?? '(none)'}`;
  const how = `GET ${url} (${traces.api})`;
  if (traceId === null) {
    const e: Observation = {
      kind: 'error',
      reason: 'the demo answered without a trace id: it is not traced',
      fix: TRACE_FIX,
      how,
    };
    return { hops: [], observations: sameFor(all, e) };
  }
  const parse = traces.api === 'tempo' ? parseTempoTrace : parseJaegerTrace;
  let last: TraceSpan[] = [];
  let lookupMs = NaN;
  const found = await poll(t, async () => {
    const r = await http.get(url, HTTP_TIMEOUT_MS, { accept: 'application/json' });
    lookupMs = r.ms;
    if (r.status === 404) return null; // not flushed or not ingested yet
    if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`);
    last = parse(r.body);
    return judgeTrace(last).complete ? last : null;
  });
  const verdict = judgeTrace(last);
  const hop: Hop = {
    name: 'traced',
    found: found.value !== null,
    ...(found.value !== null
      ? { queried: { component: traces.api === 'tempo' ? 'Tempo' : 'Jaeger', ms: lookupMs } }
      : {}),
    ms: found.ms,
    query: how,
    detail:
      last.length === 0
        ? notFound('not found', t, found.error)
        : `${last.length} span(s): ${last.map((s) => `${s.service}/${s.name}`).join(', ')}`,
  };
  if (last.length === 0) {
    const e: Observation = {
      kind: 'error',
      reason: `trace ${traceId} not found at ${traces.url}${found.error ? `: ${found.error}` : ` within ${t.hopTimeoutMs / 1000} s`}`,
      fix: TRACE_FIX,
      how,
    };
    return { hops: [hop], observations: sameFor(all, e) };
  }
  const problems = [
    ...verdict.missing.map((m) => `no ${m}`),
    ...(verdict.orphans > 0 ? [`${verdict.orphans} span(s) whose parent is missing`] : []),
  ];
  return {
    hops: [hop],
    observations: {
      'REQ-0.3/AC7': {
        kind: 'fact',
        holds: verdict.complete,
        detail: verdict.complete
          ? `one trace of ${last.length} spans: HTTP request → publish → process`
          : `the trace is incomplete: ${problems.join('; ') || 'more than one root span'}`,
        how,
        fix: TRACE_FIX,
      },
      'REQ-0.3/AC8': verdict.slowest
        ? {
            kind: 'fact',
            holds: true,
            detail: `slowest by self time: ${verdict.slowest.service}/${verdict.slowest.name} (${verdict.slowest.selfMs.toFixed(1)} ms)`,
            how,
          }
        : { kind: 'fact', holds: false, detail: 'no span carries a duration', how, fix: TRACE_FIX },
      'REQ-0.3/AC9': {
        kind: 'fact',
        holds: verdict.untimed.length === 0,
        detail:
          verdict.untimed.length === 0
            ? `all ${last.length} spans have a start and a duration`
            : `untimed: ${verdict.untimed.join(', ')}`,
        how,
        fix: TRACE_FIX,
      },
    },
  };
}
