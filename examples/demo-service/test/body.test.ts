import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { ServiceDefinition } from '../src/app.js';
import { nestingDepth, refusedCoding } from '../src/body.js';
import { testApp } from './helpers.js';

/** One JSON route that accepts any object: only the body parser stands between a request and it. */
const echo: ServiceDefinition = {
  topics: [],
  handle: async () => undefined,
  routes(app) {
    app.post('/echo', { schema: { body: { type: 'object' } } }, async (request) => ({
      bytes: JSON.stringify(request.body).length,
    }));
  },
};

const deepArray = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

describe('nesting depth', () => {
  const cases: [string, string, number][] = [
    ['flat', '{"a":1,"b":[1,2]}', 2],
    ['brackets inside strings do not count', '{"a":"[[[[{{{{"}', 1],
    ['escaped quotes do not end a string', '{"a":"\\"[[[["}', 1],
    ['escaped backslash before a quote', '{"a":"\\\\","b":[[1]]}', 3],
    ['deep array', deepArray(40), 33],
  ];
  for (const [name, text, want] of cases) {
    it(name, () => {
      assert.equal(nestingDepth(text, 32), want);
    });
  }
});

describe('hostile bodies', () => {
  const send = async (payload: string | Buffer, contentType = 'application/json') => {
    const t = await testApp(echo, [], { BODY_LIMIT_BYTES: '1048576' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/echo',
      payload,
      headers: { 'content-type': contentType },
    });
    const livez = await t.app.inject({ url: '/livez' });
    return { res, logs: t.logs, livez: livez.statusCode };
  };
  const table: [string, string | Buffer, string, number, RegExp | null][] = [
    ['100,000 nested arrays', deepArray(100_000), 'application/json', 400, /deeper than 32 levels/],
    ['33 nested objects', deepObject(33), 'application/json', 400, /deeper than 32 levels/],
    ['32 nested objects', deepObject(32), 'application/json', 200, null],
    [
      'invalid UTF-8 (a lone continuation byte)',
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d]),
      'application/json',
      400,
      /not valid UTF-8/,
    ],
    [
      'invalid UTF-8 (an overlong encoding)',
      Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
      'application/json',
      400,
      /not valid UTF-8/,
    ],
    [
      'valid UTF-8 with a charset parameter',
      Buffer.from('{"a":"ünïcødé ✓"}'),
      'application/json; charset=utf-8',
      200,
      null,
    ],
    [
      'text/plain carrying JSON',
      '{"a":1}',
      'text/plain',
      415,
      /^content-type "text\/plain" is not accepted here: send application\/json$/,
    ],
    [
      'text/plain with a charset',
      'hello',
      'text/plain; charset=utf-8',
      415,
      /^content-type "text\/plain; charset=utf-8" is not/,
    ],
    ['malformed JSON', '{"a":', 'application/json', 400, /^Body is not valid JSON/],
    [
      'a number past a double',
      '{"a":[1,{"b":-1e999999}]}',
      'application/json',
      400,
      /beyond what a 64-bit float/,
    ],
    ['309 digits', `{"a":${'9'.repeat(309)}}`, 'application/json', 400, /beyond what a 64-bit float/],
    [
      'large but finite numbers, and exponents in strings',
      '{"a":1.7e308,"b":"1e999","c":2E-5}',
      'application/json',
      200,
      null,
    ],
    ['prototype poisoning', '{"__proto__":{"admin":true}}', 'application/json', 400, /"__proto__" or/],
    [
      'constructor poisoning',
      '{"constructor":{"prototype":{"admin":true}}}',
      'application/json',
      400,
      /"constructor\.prototype" key, which this service refuses$/,
    ],
  ];
  for (const [name, payload, type, status, message] of table) {
    it(`${name} → ${status}, and the service keeps serving`, async () => {
      const { res, logs, livez } = await send(payload, type);
      assert.equal(res.statusCode, status, res.body);
      if (status >= 400) {
        const body = res.json() as { error: { code: string; message: string; requestId: string } };
        assert.equal(body.error.code, status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'VALIDATION');
        if (message) assert.match(body.error.message, message);
        assert.equal(typeof body.error.requestId, 'string');
      }
      assert.equal(livez, 200);
      assert.deepEqual(
        logs.filter((l) => (l.level as number) >= 50),
        [],
        'no error-level log lines: bad input is the client’s problem, not an incident',
      );
    });
  }

  it('a compressed body (any content-encoding but identity) → 415, whatever the bytes are', async () => {
    const t = await testApp(echo, [], {});
    const post = (payload: Buffer | string, coding: string) =>
      t.app.inject({
        method: 'POST',
        url: '/echo',
        payload,
        headers: { 'content-type': 'application/json', 'content-encoding': coding },
      });
    for (const [payload, coding] of [
      [gzipSync('{"a":1}'), 'gzip'],
      ['{"a":1}', 'gzip'], // the header says gzip: the bytes are not read as JSON either
      ['{"a":1}', 'br'],
    ] as const) {
      const res = await post(payload, coding);
      assert.equal(res.statusCode, 415, coding);
      const { error } = res.json<{ error: { code: string; message: string } }>();
      assert.equal(error.code, 'UNSUPPORTED_MEDIA_TYPE');
      assert.equal(
        error.message,
        `content-encoding "${coding}" is not accepted here: send the body uncompressed`,
      );
    }
    assert.equal((await post('{"a":1}', 'identity')).statusCode, 200);
    assert.equal((await post('{"a":1}', '')).statusCode, 200, 'an empty Content-Encoding is no coding');
    assert.equal((await post('{"a":1}', 'identity, gzip')).statusCode, 415, 'any coding in the list');
  });

  it('a body compressed as a transfer coding ("gzip, chunked") → 415 too, over a real socket', async () => {
    const t = await testApp(echo, [], {});
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = t.app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      // Node's client sends the body chunked, as the header says; the gzip under it is left to the server.
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/echo',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'gzip, chunked' },
      });
      req.end(gzipSync('{"a":1}'));
      const [res] = (await once(req, 'response')) as [IncomingMessage];
      const body = JSON.parse(Buffer.concat((await res.toArray()) as Buffer[]).toString()) as {
        error: { message: string };
      };
      assert.equal(res.statusCode, 415);
      assert.equal(
        body.error.message,
        'transfer-encoding "gzip" is not accepted here: send the body uncompressed',
      );
    } finally {
      await t.app.close();
    }
  });

  it('refusedCoding: the first coding that is not plain, by header', () => {
    assert.equal(refusedCoding({}), undefined);
    assert.equal(
      refusedCoding({ 'content-encoding': ' Identity ', 'transfer-encoding': 'chunked' }),
      undefined,
    );
    assert.deepEqual(refusedCoding({ 'content-encoding': 'identity, GZIP' }), {
      header: 'content-encoding',
      coding: 'gzip',
    });
    assert.deepEqual(refusedCoding({ 'content-encoding': 'chunked' }), {
      header: 'content-encoding',
      coding: 'chunked',
    });
    assert.deepEqual(refusedCoding({ 'transfer-encoding': 'deflate, chunked' }), {
      header: 'transfer-encoding',
      coding: 'deflate',
    });
  });

  it('a body sent to no route is a 404, whatever it holds', async () => {
    const t = await testApp(echo, [], {});
    for (const payload of ['{"a":', '{"__proto__":{}}', '{"a":1}']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/no-such-route',
        payload,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.statusCode, 404, payload);
      assert.equal((res.json() as { error: { code: string } }).error.code, 'NOT_FOUND');
    }
  });

  it('the depth limit is a setting', async () => {
    const t = await testApp(echo, [], { BODY_MAX_DEPTH: '4' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/echo',
      payload: deepObject(5),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /deeper than 4 levels/);
  });
});
