// The end-to-end probe over a fake HTTP world: every hop's evidence, and each broken hop a FAIL that names
// the query and the fix — never a hang (every wait is bounded).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { endToEnd, slowestQuery, type EndToEndUrls } from '../../lib/validate/e2e.js';
import { fakeHttp, json, type Route } from '../helpers/fake-http.js';
import { tempoTrace } from '../helpers/recorded.js';

const URLS: EndToEndUrls = {
  demo: 'http://demo',
  prometheus: 'http://prom',
  loki: 'http://loki',
  traces: { url: 'http://tempo', api: 'tempo' },
};
const TIMING = { hopTimeoutMs: 1_500, pollMs: 10, sleep: (ms: number) => sleep(ms) };
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

/** Like Loki, a line never later than the query's end: the probe's clock and the line's may share a millisecond. */
function inWindow(params: URLSearchParams): string {
  const endMs = Number((params.get('end') ?? '').slice(0, -6));
  return `${Math.min(Date.now(), endMs)}000000`;
}

/** Nanoseconds since the epoch (Loki's form) from ms, and back. */
const ns = (ms: number): string => `${ms}000000`;
const msOf = (nanos: string | null): number => Number((nanos ?? '0').slice(0, -6));
const streams = (result: { stream: Record<string, string>; values: [string, string][] }[]) =>
  json({ status: 'success', data: { resultType: 'streams', result } });

/**
 * Like Loki: the event's line (logged when it is published) only in a window that holds its time, other
 * lines of the demo and of another service at the window's end, each stream matching its selector.
 */
function fakeLoki(eventAt: () => number, opts: { ignoreTime?: boolean; busy?: boolean } = {}): Route {
  return (url) => {
    const params = new URL(url).searchParams;
    const q = params.get('query') ?? '';
    const [start, end] = [msOf(params.get('start')), msOf(params.get('end'))];
    const at = eventAt();
    const event: [string, string][] =
      at > 0 && (opts.ignoreTime === true || (at >= start && at <= end))
        ? [[ns(at), `{"level":"info","msg":"event published","trace_id":"${TRACE}"}`]]
        : [];
    const other: [string, string] = [inWindow(params), '{"msg":"request completed"}'];
    if (q.includes(TRACE)) return streams([{ stream: { service: 'demo-service' }, values: event }]);
    // Busy: the newest lines of the demo are others (Loki returns 100 at most, newest first).
    const demo = {
      stream: { service: 'demo-service' },
      values: opts.busy === true ? [other] : [...event, other],
    };
    return q.startsWith('{service=~')
      ? streams([demo, { stream: { service: 'billing' }, values: [other, other] }])
      : streams([demo]);
  };
}

function world(over: Record<string, Route> = {}) {
  let counted = 0;
  let traceAsks = 0;
  let eventAt = 0;
  const http = fakeHttp({
    'http://demo/events/stream': () => json(''),
    'http://demo/events': () => {
      counted++;
      eventAt = Date.now();
      setTimeout(() => {
        http.emit('id: e-1\nevent: event\ndata: {}\n\n');
      }, 5);
      return json({ id: 'e-1', traceId: TRACE }, 201);
    },
    'http://prom/api/v1/query': () =>
      json({ status: 'success', data: { result: [{ value: [0, String(counted)] }] } }),
    'http://loki/loki/api/v1/query_range': fakeLoki(() => eventAt),
    [`http://tempo/api/traces/${TRACE}`]: () =>
      ++traceAsks < 3 ? { status: 404, body: 'trace not found' } : json(tempoTrace(TRACE)),
    ...over,
  });
  return http;
}

describe('the end-to-end probe', () => {
  it('one event: published, consumed, counted, logged with its trace id, traced with every span timed', async () => {
    const http = world();
    const { hops, observations } = await endToEnd(http, URLS, TIMING);
    assert.deepEqual(
      hops.map((h) => [h.name, h.found]),
      [
        ['published', true],
        ['consumed', true],
        ['metric', true],
        ['logged', true],
        ['traced', true],
      ],
    );
    assert.match(hops[2]?.detail ?? '', /^counted: 0 → 1$/);
    assert.equal(hops[3]?.query, `LogQL {service="demo-service"} |= "${TRACE}"`);
    const post = http.requests.find((r) => r.startsWith('POST'));
    assert.equal(post, 'POST http://demo/events');
    const statuses = Object.fromEntries(
      Object.entries(observations).map(([id, o]) => [id, o?.kind === 'fact' ? o.holds : o?.kind]),
    );
    assert.deepEqual(statuses, {
      'REQ-0.3/AC4': true,
      'REQ-0.3/AC5': 'value',
      'REQ-0.3/AC6': true,
      'REQ-0.3/AC7': true,
      'REQ-0.3/AC8': true,
      'REQ-0.3/AC9': true,
    });
    const ac4 = observations['REQ-0.3/AC4'];
    assert.ok(ac4?.kind === 'fact' && /carrying its trace id/.test(ac4.detail));
    const ac8 = observations['REQ-0.3/AC8'];
    assert.ok(ac8?.kind === 'fact');
    assert.match(ac8.detail, /^slowest by self time: demo-service\/demo\.events process \(\d+\.\d ms\)$/);
  });

  it('query response (REQ-0.3/M2): the slowest of Prometheus and the Loki and Tempo queries that found something', async () => {
    const { hops } = await endToEnd(world(), URLS, TIMING);
    assert.deepEqual(
      hops.flatMap((h) => (h.queried ? [h.queried.component] : [])),
      ['Loki', 'Tempo'],
    );
    const prom = { kind: 'value' as const, value: 12, unit: 'ms', how: 'GET /api/v1/query' };
    const slow = [
      ...hops,
      {
        name: 'logged',
        found: true,
        ms: 1,
        query: 'q',
        detail: '',
        queried: { component: 'Loki', ms: 1_400 },
      },
    ];
    const m2 = slowestQuery(prom, slow);
    assert.ok(m2?.kind === 'value');
    assert.equal(m2.value, 1_400);
    assert.match(m2.how, /^the slowest of Prometheus 12 ms, Loki 3 ms, Tempo 3 ms, Loki 1400 ms/);
    const refused = { kind: 'error' as const, reason: 'Prometheus at x: refused', fix: 'f' };
    assert.equal(slowestQuery(refused, slow), refused, 'Prometheus’s own failure stays');
  });

  it('a refused demo: every criterion of the probe FAILs with the demo named and the fix', async () => {
    const http = world({
      'http://demo/events/stream': () => new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }),
    });
    const { hops, observations } = await endToEnd(http, URLS, TIMING);
    assert.deepEqual(hops, []);
    const ac7 = observations['REQ-0.3/AC7'];
    assert.ok(ac7?.kind === 'error');
    assert.equal(ac7.reason, 'the demo at http://demo: connection refused (is it running, on this address?)');
    assert.match(ac7.fix, /foundation run 0-10/);
  });

  it('no log line and a trace without its consumer span: FAIL with the LogQL and what is missing', async () => {
    const partial = tempoTrace(TRACE, { withConsumer: false });
    const http = world({
      'http://loki/loki/api/v1/query_range': () =>
        json({ status: 'success', data: { resultType: 'streams', result: [] } }),
      [`http://tempo/api/traces/${TRACE}`]: () => json(partial),
    });
    const started = performance.now();
    const { hops, observations } = await endToEnd(http, URLS, TIMING);
    assert.ok(performance.now() - started < 10_000, 'bounded waits');
    assert.deepEqual(
      hops.map((h) => [h.name, h.found]),
      [
        ['published', true],
        ['consumed', true],
        ['metric', true],
        ['logged', false],
        ['traced', false],
      ],
    );
    const ac4 = observations['REQ-0.3/AC4'];
    assert.ok(ac4?.kind === 'error');
    assert.equal(ac4.how, `LogQL {service="demo-service"} |= "${TRACE}"`);
    assert.match(ac4.reason, /^Loki at http:\/\/loki: no line of the event within 1\.5 s$/);
    const ac7 = observations['REQ-0.3/AC7'];
    assert.ok(ac7?.kind === 'fact' && !ac7.holds);
    assert.equal(ac7.detail, 'the trace is incomplete: no consumer span (… process)');
    assert.ok(
      observations['REQ-0.3/AC9']?.kind === 'fact' && observations['REQ-0.3/AC9'].holds,
      'the spans there are timed',
    );
  });

  it('filtering (REQ-0.3/AC6): the event inside the window, left out by one ending before it, other services counted', async () => {
    const { observations } = await endToEnd(world(), URLS, TIMING);
    const ac6 = observations['REQ-0.3/AC6'];
    assert.ok(ac6?.kind === 'fact' && ac6.holds, JSON.stringify(ac6));
    assert.equal(
      ac6.detail,
      "2 line(s) of demo-service, the event's among them, none outside the service or the window; a window ending before the event returned none of it; the filter left out 2 line(s) of 1 other service(s) in the window",
    );
  });

  it('a busy demo whose newest lines are others: the event is still found in the window by its id', async () => {
    let at = 0;
    const http = world({
      'http://demo/events': () => {
        at = Date.now();
        setTimeout(() => {
          http.emit('id: e-1\nevent: event\ndata: {}\n\n');
        }, 5);
        return json({ id: 'e-1', traceId: TRACE }, 201);
      },
      'http://loki/loki/api/v1/query_range': fakeLoki(() => at, { busy: true }),
    });
    const ac6 = (await endToEnd(http, URLS, TIMING)).observations['REQ-0.3/AC6'];
    assert.ok(ac6?.kind === 'fact' && ac6.holds, JSON.stringify(ac6));
  });

  it('a filter that returns another service’s line, or a Loki that ignores the time: REQ-0.3/AC6 FAILs, saying which', async () => {
    const stray = (url: string) => {
      const q = new URL(url).searchParams.get('query') ?? '';
      return q.includes(TRACE) || q.startsWith('{service=~')
        ? null
        : streams([{ stream: { service: 'other' }, values: [[ns(Date.now()), '{}']] }]);
    };
    let posted = 0;
    const loki = fakeLoki(() => posted);
    const http = world({
      'http://demo/events': () => {
        posted = Date.now();
        return json({ id: 'e-1', traceId: TRACE }, 201);
      },
      'http://loki/loki/api/v1/query_range': (url, body) => stray(url) ?? loki(url, body),
    });
    const { observations } = await endToEnd(http, URLS, { ...TIMING, hopTimeoutMs: 300 });
    const ac6 = observations['REQ-0.3/AC6'];
    assert.ok(ac6?.kind === 'fact' && !ac6.holds);
    assert.equal(ac6.detail, '1 of its 2 line(s) outside the service or the window');

    let at = 0;
    const timeless = world({
      'http://demo/events': () => {
        at = Date.now();
        return json({ id: 'e-1', traceId: TRACE }, 201);
      },
      'http://loki/loki/api/v1/query_range': fakeLoki(() => at, { ignoreTime: true }),
    });
    const ignored = (await endToEnd(timeless, URLS, { ...TIMING, hopTimeoutMs: 300 })).observations[
      'REQ-0.3/AC6'
    ];
    assert.ok(ignored?.kind === 'fact' && !ignored.holds);
    assert.equal(ignored.detail, 'a window ending before the event still returned 1 line(s) of it');
  });

  it('a refused Loki is asked three times, not for the whole wait', async () => {
    const refused = () => new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    const http = world({ 'http://loki/loki/api/v1/query_range': refused });
    const { observations } = await endToEnd(http, URLS, { ...TIMING, hopTimeoutMs: 60_000 });
    assert.equal(http.requests.filter((r) => r.startsWith('GET http://loki/')).length, 3);
    const ac5 = observations['REQ-0.3/AC5'];
    assert.ok(ac5?.kind === 'error');
    assert.equal(ac5.reason, 'Loki at http://loki: connection refused (is it running, on this address?)');
  });

  it('no address for the demo on this target: NOT MEASURED, saying which setting', async () => {
    const { observations } = await endToEnd(world(), { ...URLS, demo: null }, TIMING);
    const ac5 = observations['REQ-0.3/AC5'];
    assert.ok(ac5?.kind === 'absent');
    assert.match(ac5.reason, /set DEMO_URL/);
  });
});
