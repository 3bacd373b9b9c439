import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../../src/errors.js';
import { classify } from '../../../src/kit/http-client/failure.js';
import { bufferedResponse } from '../../../src/kit/http-client/response.js';
import {
  fullJitterMs,
  isIdempotent,
  isRetryableResponse,
  retryAfterMs,
  retryDelayMs,
} from '../../../src/kit/http-client/retry-rules.js';
import { resolveTarget } from '../../../src/kit/http-client/target.js';

const backoff = { baseMs: 100, capMs: 1_000 };
const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('http-client rules', () => {
  it('idempotent by method, by Idempotency-Key (any case), or by the caller', () => {
    assert.deepEqual(
      ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'POST', 'PATCH'].map((m) => isIdempotent(m, {})),
      [true, true, true, true, true, false, false],
    );
    assert.equal(isIdempotent('POST', { 'Idempotency-Key': 'k' }), true);
    assert.equal(isIdempotent('POST', {}, true), true);
    assert.equal(isIdempotent('GET', {}, false), false);
  });

  it('full jitter: within [0, min(cap, base·2^(n-1))), reaching the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 10].map((n) => fullJitterMs(n, backoff, () => 0.999_999)),
      [99, 199, 399, 799, 999, 999],
    );
    assert.equal(
      fullJitterMs(3, backoff, () => 0),
      0,
    );
  });

  it('Retry-After as seconds or an HTTP date; ignored when malformed', () => {
    assert.equal(retryAfterMs('2', NOW), 2_000);
    assert.equal(retryAfterMs(['3'], NOW), 3_000);
    assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', NOW), 5_000);
    assert.equal(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', NOW), 0, 'a past date: no wait');
    assert.equal(retryAfterMs('soon', NOW), undefined);
    assert.equal(retryAfterMs(undefined, NOW), undefined);
  });

  it('retryable: 429/502/503/504 only, and not when Retry-After asks for longer than the cap', () => {
    const r = (status: number, headers = {}) => isRetryableResponse({ status, headers }, backoff, NOW);
    assert.deepEqual(
      [200, 400, 404, 429, 500, 501, 502, 503, 504].map((s) => r(s)),
      [false, false, false, true, false, false, true, true, true],
    );
    assert.equal(r(503, { 'retry-after': '1' }), true);
    assert.equal(r(503, { 'retry-after': '2' }), false);
  });

  it('the delay is what Retry-After asks (within the cap), else full jitter', () => {
    assert.equal(retryDelayMs(1, { status: 429, headers: { 'retry-after': '1' } }, backoff, NOW), 1_000);
    assert.equal(
      retryDelayMs(2, { status: 503, headers: {} }, backoff, NOW, () => 0.5),
      100,
    );
    assert.equal(
      retryDelayMs(2, undefined, backoff, NOW, () => 0.5),
      100,
    );
  });

  it('a response body as text and JSON: UTF-8, a byte-order mark dropped, a slice of a larger buffer, not JSON → UPSTREAM', () => {
    const body = (text: string) => bufferedResponse(200, {}, Buffer.from(text), 'GET http://orders/1');
    assert.deepEqual(body('{"name":"Zoë","n":1}').json(), { name: 'Zoë', n: 1 });
    assert.deepEqual(body('\uFEFF{"bom":true}').json(), { bom: true });
    const pool = Buffer.from('xx{"inside":1}yy');
    assert.equal(bufferedResponse(200, {}, pool.subarray(2, 14), 'x').text(), '{"inside":1}');
    assert.equal(bufferedResponse(200, {}, new Uint8Array([104, 105]), 'x').text(), 'hi');
    assert.throws(
      () => body('<html>').json(),
      (e: unknown) => e instanceof AppError && e.code === 'UPSTREAM' && /not JSON/.test(e.message),
    );
  });

  it('classifies errors by code; an invalid argument is ours, not the upstream’s', () => {
    const err = (code: string) => Object.assign(new Error('x'), { code });
    assert.deepEqual(
      [
        'ECONNREFUSED',
        'ENOTFOUND',
        'ECONNRESET',
        'UND_ERR_SOCKET',
        'UND_ERR_HEADERS_TIMEOUT',
        'HPE_INVALID_CONSTANT',
        'UND_ERR_RES_EXCEEDED_MAX_SIZE',
        'EWHAT',
      ].map((code) => classify(err(code), false)?.kind),
      ['connect', 'connect', 'reset', 'reset', 'timeout', 'protocol', 'too_large', 'other'],
    );
    assert.equal(classify(new DOMException('aborted', 'AbortError'), true)?.kind, 'timeout');
    assert.equal(classify(err('UND_ERR_INVALID_ARG'), false), null);
    const aggregate = Object.assign(new AggregateError([err('ECONNREFUSED'), err('ECONNREFUSED')]), {});
    assert.equal(classify(aggregate, false)?.code, 'ECONNREFUSED');
    assert.deepEqual(
      [
        classify(err('ECONNREFUSED'), false),
        classify(err('HPE_X'), false),
        classify(err('EWHAT'), false),
      ].map((f) => [f?.retryable, f?.upstreamFault]),
      [
        [true, true],
        [false, true],
        [false, false],
      ],
    );
  });

  it('a target: origin, path with query, default ports, credentials out of the URL, redacted url.full', () => {
    const t = resolveTarget('https://u%40x:p%3Aw@api.example.com/v1/items?sig=abc&q=1#frag');
    assert.equal(t.origin, 'https://api.example.com');
    assert.equal(t.path, '/v1/items?sig=abc&q=1');
    assert.equal(t.port, 443);
    assert.equal(t.host, 'api.example.com');
    assert.equal(t.authorization, `Basic ${Buffer.from('u@x:p:w').toString('base64')}`);
    assert.equal(t.display, 'https://api.example.com/v1/items');
    assert.equal(t.fullRedacted, 'https://REDACTED:REDACTED@api.example.com/v1/items?sig=REDACTED&q=1');
    const o = resolveTarget({ origin: 'http://[::1]:8080/', path: '/a' });
    assert.deepEqual(
      [o.origin, o.path, o.host, o.port, o.authorization],
      ['http://[::1]:8080', '/a', '::1', 8080, undefined],
    );
    assert.throws(() => resolveTarget('ftp://x/y'), /only http: and https:/);
    assert.throws(() => resolveTarget({ origin: 'http://x', path: 'a' }), /starts with/);
  });
});
