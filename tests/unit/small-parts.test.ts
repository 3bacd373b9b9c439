// The small pure parts of lib/ that other tests only reach through larger ones, each tested on its own:
// the on/off variable reading, YAML parsing with line numbers, the --json envelope, a file schema's
// issues in words, the probe time limit, and the HTTP span and access-log fields.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INVALID_SPAN_CONTEXT, trace } from '@opentelemetry/api';
import * as v from 'valibot';
import { truthy } from '../../lib/config/flags.js';
import { fileIssue, mapping } from '../../lib/file-schema.js';
import { jsonLine } from '../../lib/report/json-line.js';
import { EVENT_SCHEMA_VERSION } from '../../lib/report/events.js';
import {
  accessFields,
  hostAndPort,
  requestAttributes,
  type HttpRequestLike,
} from '../../lib/telemetry/http-fields.js';
import { failed, within } from '../../lib/validate/within.js';
import { parseYaml } from '../../lib/yaml-text.js';

describe('truthy: an on/off variable', () => {
  it('is on for any value but unset, empty, 0 and false', () => {
    for (const off of [undefined, '', '0', 'false']) assert.equal(truthy(off), false, String(off));
    for (const on of ['1', 'true', 'yes', 'on', 'FALSE']) assert.equal(truthy(on), true, on);
  });
});

describe('parseYaml', () => {
  it('returns the value, or one `line N, column M: message` per syntax error, said once, no dangling colon', () => {
    assert.deepEqual(parseYaml('a: 1\nb: [x, y]\n'), { ok: true, value: { a: 1, b: ['x', 'y'] } });
    const broken = parseYaml('a: 1\nb: [x, y\nc: 2\n');
    assert.equal(broken.ok, false);
    assert.ok(!broken.ok && broken.problems.length > 0);
    for (const p of broken.ok ? [] : broken.problems) {
      assert.match(p, /^line \d+, column \d+: \S/);
      assert.doesNotMatch(p, /at line \d+|:$/);
    }
  });

  it('an alias without its anchor, or aliases expanding without bound: a problem, never a throw', () => {
    assert.deepEqual(parseYaml('topics:\n  - name: *nope\n'), {
      ok: false,
      problems: ['line 2, column 11: the alias *nope names no anchor set before it (&nope)'],
    });
    const ten = (name: string): string => `[${Array.from({ length: 10 }, () => `*${name}`).join(',')}]`;
    const laughs = `a: &a [1, 2]\nb: &b ${ten('a')}\nc: &c ${ten('b')}\nd: ${ten('c')}\n`;
    const refused = parseYaml(laughs);
    assert.ok(!refused.ok);
    assert.match(refused.problems[0] ?? '', /aliases expand too many times/);
    assert.deepEqual(parseYaml('a: &x 1\nb: *x\n'), { ok: true, value: { a: 1, b: 1 } });
  });

  it('reads YAML 1.2 unless 1.1 is asked for (then `yes` is true, as Helm and Compose read it)', () => {
    assert.deepEqual(parseYaml('enabled: yes\n'), { ok: true, value: { enabled: 'yes' } });
    assert.deepEqual(parseYaml('enabled: yes\n', { version: '1.1' }), {
      ok: true,
      value: { enabled: true },
    });
  });
});

describe('jsonLine: the --json envelope', () => {
  it('is one line: the schema version, the type, then the body', () => {
    const line = jsonLine('list', { tasks: ['0-1'] });
    assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'));
    assert.deepEqual(JSON.parse(line), { v: EVENT_SCHEMA_VERSION, type: 'list', tasks: ['0-1'] });
    assert.deepEqual(Object.keys(JSON.parse(line) as object).slice(0, 2), ['v', 'type']);
  });
});

describe('file schemas: issues as a path and words', () => {
  const schema = mapping(
    v.strictObject({
      name: v.pipe(v.string(), v.minLength(2)),
      replicas: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5))),
      tags: v.optional(v.pipe(v.array(v.string()), v.maxLength(2))),
      mode: v.optional(v.union([v.literal('a'), v.literal('b')])),
    }),
  );
  const issues = (input: unknown) => {
    const r = v.safeParse(schema, input);
    return r.success ? [] : r.issues.map(fileIssue);
  };

  it('a list where a mapping belongs is refused, not read as an empty mapping', () => {
    assert.deepEqual(issues([]), [{ path: [], message: 'Invalid input: expected object, received array' }]);
  });

  it('names an unknown key on its object and a missing one on its key', () => {
    assert.deepEqual(issues({ name: 'ok', extra: 1 }), [{ path: [], message: 'Unrecognized key: "extra"' }]);
    assert.deepEqual(issues({}), [{ path: ['name'], message: 'Required' }]);
  });

  it('says what was expected and what came, in this project’s words', () => {
    assert.deepEqual(issues({ name: 'ok', replicas: 1.5 }), [
      { path: ['replicas'], message: 'Invalid input: expected a whole number, received 1.5' },
    ]);
    assert.deepEqual(issues({ name: 'ok', replicas: 0 }), [
      { path: ['replicas'], message: 'Too small: expected number to be >=1' },
    ]);
    assert.deepEqual(issues({ name: 'ok', replicas: 9 }), [
      { path: ['replicas'], message: 'Too big: expected number to be <=5' },
    ]);
    assert.deepEqual(issues({ name: 'x' }), [
      { path: ['name'], message: 'Too small: expected string to have >=2 characters' },
    ]);
    assert.deepEqual(issues({ name: 'ok', tags: ['a', 'b', 'c'] }), [
      { path: ['tags'], message: 'Too big: expected array to have <=2 items' },
    ]);
    assert.deepEqual(issues({ name: null }), [
      { path: ['name'], message: 'Invalid input: expected string, received null' },
    ]);
    assert.deepEqual(issues({ name: 'ok', tags: [1] }), [
      { path: ['tags', 0], message: 'Invalid input: expected string, received number' },
    ]);
    assert.deepEqual(issues({ name: 'ok', mode: 'c' }), [
      { path: ['mode'], message: 'Invalid input: expected "a" | "b", received string' },
    ]);
  });
});

describe('within: a probe’s time limit', () => {
  it('passes the answer through, and turns a rejection into a failure naming what failed', async () => {
    assert.equal(await within(1_000, 'Loki', () => Promise.resolve(42)), 42);
    const refused = await within(1_000, 'Loki', () => Promise.reject(new Error('ECONNREFUSED')));
    assert.ok(failed(refused));
    assert.equal(refused.failed, 'Loki: ECONNREFUSED');
  });

  it('a probe that never answers is a failure after the limit, in seconds', async () => {
    const hung = await within(50, 'Tempo', () => new Promise<never>(() => undefined));
    assert.deepEqual(hung, { failed: 'Tempo did not answer in 0.05 s' });
    assert.equal(failed(42), false);
    assert.equal(failed(null), false);
  });
});

describe('HTTP span attributes and access-log fields', () => {
  const request = (over: Partial<HttpRequestLike> = {}): HttpRequestLike => ({
    method: 'POST',
    url: '/events?debug=1',
    headers: { 'user-agent': 'k6/1.0', host: 'demo.local:8080' },
    routeOptions: { url: '/events' },
    protocol: 'http',
    log: { info: () => undefined, debug: () => undefined },
    ...over,
  });

  it('the span carries the stable conventions: path without its query, route, port and agent when known', () => {
    assert.deepEqual(requestAttributes(request(), '/events'), {
      'http.request.method': 'POST',
      'url.path': '/events',
      'url.scheme': 'http',
      'server.address': 'demo.local',
      'server.port': 8080,
      'http.route': '/events',
      'user_agent.original': 'k6/1.0',
    });
    assert.deepEqual(requestAttributes(request({ url: '/x', headers: { host: 'demo.local' } }), undefined), {
      'http.request.method': 'POST',
      'url.path': '/x',
      'url.scheme': 'http',
      'server.address': 'demo.local',
    });
  });

  it('server address and port come from the Host header: names, IPv4, IPv6 in brackets, no port, junk', () => {
    assert.deepEqual(hostAndPort('svc.local:8080'), { address: 'svc.local', port: 8080 });
    assert.deepEqual(hostAndPort('127.0.0.1:3000'), { address: '127.0.0.1', port: 3000 });
    assert.deepEqual(hostAndPort('[::1]:3000'), { address: '[::1]', port: 3000 });
    assert.deepEqual(hostAndPort('[::1]'), { address: '[::1]', port: null });
    assert.deepEqual(hostAndPort('svc.local'), { address: 'svc.local', port: null });
    assert.deepEqual(hostAndPort('svc.local:http'), { address: 'svc.local', port: null });
    assert.deepEqual(hostAndPort('svc.local:99999'), { address: 'svc.local', port: null });
    assert.deepEqual(hostAndPort(''), { address: '', port: null });
    assert.deepEqual(hostAndPort(undefined), { address: '', port: null });
  });

  it('the access line: route or `unmatched`, ms to 0.01, aborted only when so, trace ids only when valid', () => {
    const traced = trace.wrapSpanContext({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
    });
    assert.deepEqual(accessFields(request(), '/events', 202, 1.23456, false, traced), {
      method: 'POST',
      route: '/events',
      status_code: 202,
      duration_ms: 1.23,
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
    });
    assert.deepEqual(
      accessFields(request(), undefined, 499, 7, true, trace.wrapSpanContext(INVALID_SPAN_CONTEXT)),
      {
        method: 'POST',
        route: 'unmatched',
        status_code: 499,
        duration_ms: 7,
        aborted: true,
      },
    );
  });
});
