import { randomUUID } from 'node:crypto';
import type { HttpProbe } from '../ports/validation.js';
import { sameFor, type Observation, type Observations } from './judge.js';
import { DEMO_JOB, promScalar, reason } from './platform-evidence.js';
import { HTTP_TIMEOUT_MS } from './within.js';
import { logObservations, traceObservations } from './log-trace-evidence.js';

/** One step of the end-to-end probe: what it looked for, whether it found it, how long that took. */
export interface Hop {
  readonly name: string;
  readonly found: boolean;
  /** From the POST to the moment it was found (or given up). */
  readonly ms: number;
  /** The request or query it ran, to run by hand. */
  readonly query: string;
  readonly detail: string;
  /** The response time of the query that found the evidence, and whose it was (Loki, Tempo). */
  readonly queried?: { readonly component: string; readonly ms: number };
}

export interface EndToEndUrls {
  readonly demo: string | null;
  readonly prometheus: string | null;
  readonly loki: string | null;
  readonly traces: { readonly url: string; readonly api: 'tempo' | 'jaeger' } | null;
}

export interface EndToEndTiming {
  /** How long each hop may wait for its evidence (a scrape, a log shipper, a span batch). */
  readonly hopTimeoutMs: number;
  readonly pollMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

const E2E_IDS = ['REQ-0.3/AC4', 'REQ-0.3/AC5', 'REQ-0.3/AC6', 'REQ-0.3/AC7', 'REQ-0.3/AC8', 'REQ-0.3/AC9'];

/** Errors in a row after which a hop stops asking: a refused connection will not find evidence by waiting. */
const ERRORS_IN_A_ROW = 3;

/**
 * Ask until `look` finds something, the time is up, or it failed ERRORS_IN_A_ROW times running (only "not
 * there yet" is worth waiting for); the last error is kept for the report.
 */
export async function poll<T>(
  t: EndToEndTiming,
  look: () => Promise<T | null>,
): Promise<{ value: T | null; ms: number; error: string | null }> {
  const started = performance.now();
  let error: string | null;
  let errors = 0;
  for (;;) {
    try {
      const value = await look();
      error = null;
      errors = 0;
      if (value !== null) return { value, ms: performance.now() - started, error };
    } catch (e) {
      error = reason(e);
      errors++;
    }
    if (errors >= ERRORS_IN_A_ROW || performance.now() - started + t.pollMs > t.hopTimeoutMs)
      return { value: null, ms: performance.now() - started, error };
    await t.sleep(t.pollMs);
  }
}

/**
 * REQ-0.3/M2 over every query API the probe used: the slowest of Prometheus's query and the Loki and Tempo
 * queries that found the event's evidence. A Prometheus that did not answer stays its own FAIL; a Loki or
 * traces query that found nothing leaves it NOT MEASURED (Prometheus alone is not the slowest). Pure.
 */
export function slowestQuery(
  prometheus: Observation | undefined,
  hops: readonly Hop[],
): Observation | undefined {
  if (prometheus?.kind !== 'value') return prometheus;
  // A query API that found nothing gave no response time: the slowest of the others is not the figure.
  const silent = hops
    .filter((h) => (h.name === 'logged' || h.name === 'traced') && !h.found)
    .map((h) => (h.name === 'logged' ? 'Loki' : 'the traces API'));
  if (silent.length > 0)
    return {
      kind: 'absent',
      reason: `only Prometheus's query was timed (${Math.round(prometheus.value)} ms): ${silent.join(' and ')} found nothing to time (REQ-0.3/AC5, AC9 say why)`,
    };
  const all = [
    { component: 'Prometheus', ms: prometheus.value },
    ...hops.flatMap((h) => (h.found && h.queried ? [h.queried] : [])),
  ];
  const slowest = all.reduce((a, b) => (b.ms > a.ms ? b : a));
  return {
    ...prometheus,
    value: Math.round(slowest.ms),
    how: `the slowest of ${all.map((q) => `${q.component} ${Math.round(q.ms)} ms`).join(', ')} (Prometheus: ${prometheus.how}; the others: the end-to-end probe's queries)`,
  };
}

/** Why a hop found nothing: the error that stopped it, or the time it waited. Pure. */
export const notFound = (what: string, t: EndToEndTiming, error: string | null): string =>
  error === null ? `${what} within ${t.hopTimeoutMs / 1000} s` : `${what}: ${error}`;

/** The demo's answer to an accepted event, or null when the body is not that (another server's page). */
function acceptedEvent(body: string): { id?: string; traceId?: string | null } | null {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? parsed : null;
  } catch {
    return null;
  }
}

const promQuery = `sum(http_requests_total{job="${DEMO_JOB}",route="/events",method="POST",status_code="201"})`;

const promValue = async (http: HttpProbe, url: string): Promise<number> =>
  (await promScalar(http, url, promQuery)) ?? 0;

/**
 * The end-to-end probe: one event through the demo with a correlation id, then its evidence hop by hop —
 * consumed (the demo's event stream), counted (Prometheus), logged with its trace id (Loki), traced with
 * every span timed (Tempo, or Jaeger through the same lookup). Every hop has a time limit.
 */
export async function endToEnd(
  http: HttpProbe,
  urls: EndToEndUrls,
  t: EndToEndTiming,
): Promise<{ hops: Hop[]; observations: Observations }> {
  if (urls.demo === null) {
    const absent: Observation = {
      kind: 'absent',
      reason:
        'no address for the demo service on this target: set DEMO_URL (e.g. after a kubectl port-forward)',
    };
    return { hops: [], observations: sameFor(E2E_IDS, absent) };
  }
  const demo = urls.demo;
  const hops: Hop[] = [];
  const correlationId = `validate-${randomUUID()}`;
  // The counter before the event; unknown when Prometheus did not answer (0 would make any count a rise).
  const baseline =
    urls.prometheus === null ? 0 : await promValue(http, urls.prometheus).catch((): null => null);
  const post = `POST ${demo}/events {"type":"foundation.validate","payload":{"correlationId":"${correlationId}"}}`;
  let stream;
  try {
    stream = await http.watch(`${demo}/events/stream`, HTTP_TIMEOUT_MS);
  } catch (e) {
    return failedAtDemo(hops, `the demo at ${demo}: ${reason(e)}`, `GET ${demo}/events/stream`);
  }
  let answer;
  try {
    answer = await http.post(
      `${demo}/events`,
      { type: 'foundation.validate', payload: { correlationId } },
      HTTP_TIMEOUT_MS,
    );
  } catch (e) {
    stream.close();
    return failedAtDemo(hops, `the demo at ${demo}: ${reason(e)}`, post);
  }
  const accepted = answer.status === 201 ? acceptedEvent(answer.body) : null;
  hops.push({
    name: 'published',
    found: accepted?.id !== undefined,
    ms: answer.ms,
    query: post,
    detail:
      accepted === null
        ? `HTTP ${answer.status}${answer.status === 201 ? ", not the demo service's JSON answer" : ''}: ${answer.body.slice(0, 200)}`
        : `event ${accepted.id ?? '?'}, trace ${accepted.traceId ?? 'none'}`,
  });
  if (accepted?.id === undefined) {
    stream.close();
    const why =
      answer.status === 201
        ? `what answers at ${demo} is not the demo service (HTTP 201 without an event id): check DEMO_URL`
        : `the demo refused the event (HTTP ${answer.status})`;
    return failedAtDemo(hops, why, post);
  }
  const eventId = accepted.id;
  const traceId = accepted.traceId ?? null;
  // Every later hop: the time from the POST's answer until its evidence was found (or it gave up).
  const sent = performance.now();
  const since = (hop: Hop): Hop => ({ ...hop, ms: performance.now() - sent });
  const seenMs = await stream.seen(`id: ${eventId}`, t.hopTimeoutMs);
  stream.close();
  hops.push({
    name: 'consumed',
    found: seenMs !== null,
    ms: performance.now() - sent,
    query: `GET ${demo}/events/stream (waits for id: ${eventId})`,
    detail:
      seenMs !== null ? 'the consumer processed it' : `not on the stream within ${t.hopTimeoutMs / 1000} s`,
  });
  hops.push(since(await metricHop(http, urls.prometheus, baseline, t)));
  const logs = await logObservations(http, urls.loki, { traceId, eventId }, t);
  hops.push(...logs.hops.map(since));
  const traces = await traceObservations(http, urls.traces, traceId, t);
  hops.push(...traces.hops.map(since));
  return { hops, observations: { ...logs.observations, ...traces.observations } };
}

function failedAtDemo(hops: Hop[], why: string, query: string): { hops: Hop[]; observations: Observations } {
  const e: Observation = {
    kind: 'error',
    reason: why,
    fix: 'foundation run 0-10 (compose: 0-7); is DEMO_URL right?',
    how: query,
  };
  return { hops, observations: sameFor(E2E_IDS, e) };
}

async function metricHop(
  http: HttpProbe,
  url: string | null,
  baseline: number | null,
  t: EndToEndTiming,
): Promise<Hop> {
  const query = `PromQL ${promQuery} > ${baseline ?? '(its value before the event)'}`;
  const unseen = (detail: string): Hop => ({ name: 'metric', found: false, ms: 0, query, detail });
  if (baseline === null)
    return unseen(
      'the counter could not be read before the event (Prometheus did not answer), so a rise cannot be shown',
    );
  if (url === null) return unseen('no address for Prometheus (PROMETHEUS_URL)');
  const r = await poll(t, async () => {
    const v = await promValue(http, url);
    return v > baseline ? v : null;
  });
  return {
    name: 'metric',
    found: r.value !== null,
    ms: r.ms,
    query,
    detail: r.value !== null ? `counted: ${baseline} → ${r.value}` : notFound('not counted', t, r.error),
  };
}
