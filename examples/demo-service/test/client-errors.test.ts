import assert from 'node:assert/strict';
import { once } from 'node:events';
import { maxHeaderSize } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { checkingInterval, type ServiceDefinition } from '../src/app.js';
import { clientErrorHandler, parserErrorAnswer } from '../src/client-errors.js';
import { testApp } from './helpers.js';

const none: ServiceDefinition = { topics: [], handle: async () => undefined, routes: () => undefined };

/** Write raw bytes to the server and read its whole answer (it closes the connection after an error). */
async function raw(port: number, bytes: string): Promise<{ status: number; body: unknown }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(bytes);
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await once(socket, 'close');
  const [head = '', body = ''] = text.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), body: JSON.parse(body) as unknown };
}

describe('requests refused before they reach a route, in the one error shape', () => {
  let app: FastifyInstance;
  let port: number;
  before(async () => {
    app = (await testApp(none)).app;
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  after(() => app.close());

  it('headers larger than Node reads → 431 HEADERS_TOO_LARGE, saying the limit', async () => {
    const res = await raw(
      port,
      `GET /livez HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(maxHeaderSize + 1)}\r\n\r\n`,
    );
    assert.equal(res.status, 431);
    assert.deepEqual(res.body, {
      error: {
        code: 'HEADERS_TOO_LARGE',
        message: `the request line and headers are larger than the ${maxHeaderSize} bytes this service reads: send a shorter URL or fewer headers`,
      },
    });
  });

  it('not HTTP, or two different Content-Lengths → 400 VALIDATION, and the server still serves', async () => {
    for (const bytes of [
      'HELLO THERE\r\n\r\n',
      'POST /livez HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
    ]) {
      const res = await raw(port, bytes);
      assert.equal(res.status, 400, bytes);
      const { error } = res.body as { error: { code: string; message: string } };
      assert.equal(error.code, 'VALIDATION');
      assert.match(error.message, /not valid HTTP\/1\.1/);
    }
    assert.equal((await fetch(`http://127.0.0.1:${port}/livez`)).status, 200, 'the socket still serves');
  });

  it('a URL Fastify cannot decode → 400 VALIDATION with the request id', async () => {
    const res = await app.inject({ url: '/%' });
    assert.equal(res.statusCode, 400);
    const { error } = res.json<{ error: { code: string; message: string; requestId: string } }>();
    assert.equal(error.code, 'VALIDATION');
    assert.match(error.message, /percent-encoding is malformed/);
    assert.equal(typeof error.requestId, 'string');
    assert.equal((await app.inject({ url: '/livez' })).statusCode, 200, 'still serving');
  });

  it(
    'a body sent too slowly → 408 REQUEST_TIMEOUT within REQUEST_TIMEOUT_MS (Fastify alone never times it out)',
    { timeout: 20_000 },
    async () => {
      const slow = (await testApp(none, [], { REQUEST_TIMEOUT_MS: '1000' })).app;
      await slow.listen({ host: '127.0.0.1', port: 0 });
      try {
        const address = slow.server.address();
        const started = performance.now();
        // 200 bytes promised, 1 sent: the server waits for the rest until the limit.
        const res = await raw(
          typeof address === 'object' && address !== null ? address.port : 0,
          'POST /livez HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{',
        );
        assert.equal(res.status, 408);
        assert.equal((res.body as { error: { code: string } }).error.code, 'REQUEST_TIMEOUT');
        const tookMs = performance.now() - started;
        assert.ok(tookMs >= 900, 'not before the limit');
        // Checked every second (a tenth of 1 s is below the 1 s floor): by 2 s, and some room for a loaded CI.
        assert.ok(tookMs < 6_000, `answered after ${Math.round(tookMs)} ms`);
      } finally {
        await slow.close();
      }
    },
  );

  it('Node looks for late requests every tenth of the limit, 1 s to 30 s', () => {
    assert.deepEqual([1_000, 30_000, 600_000].map(checkingInterval), [1_000, 3_000, 30_000]);
  });

  it('Node’s timeout and chunk-extension errors map to the statuses Node gives them (408, 413)', () => {
    const coded = (code: string) => Object.assign(new Error(code), { code });
    assert.equal(parserErrorAnswer(coded('ERR_HTTP_REQUEST_TIMEOUT'), maxHeaderSize).code, 'REQUEST_TIMEOUT');
    assert.equal(
      parserErrorAnswer(coded('HPE_CHUNK_EXTENSIONS_OVERFLOW'), maxHeaderSize).code,
      'PAYLOAD_TOO_LARGE',
    );
    assert.equal(parserErrorAnswer(coded('constructor'), maxHeaderSize).code, 'VALIDATION');
    assert.equal(parserErrorAnswer(new Error('no code'), maxHeaderSize).code, 'VALIDATION');
  });
});

describe('client errors around routes', () => {
  it('a path parameter over Fastify’s length limit → 400 VALIDATION, not a logged 500', async () => {
    const t = await testApp({
      topics: [],
      handle: async () => undefined,
      routes(app) {
        app.get('/items/:id', async () => ({ ok: true }));
      },
    });
    const res = await t.app.inject({ url: `/items/${'a'.repeat(150)}` });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'VALIDATION');
    assert.deepEqual(
      t.logs.filter((l) => (l.level as number) >= 50),
      [],
    );
  });

  it('a parser error while a response is being sent: the socket is closed, nothing written into it', () => {
    const writes: string[] = [];
    let destroyed = false;
    const socket = {
      destroyed: false,
      writable: true,
      _httpMessage: { headersSent: true },
      end: (data: string) => writes.push(data),
      destroy: () => (destroyed = true),
    };
    const bad = Object.assign(new Error('bad'), { code: 'HPE_INVALID_METHOD' });
    clientErrorHandler(16_384)(bad, socket as unknown as Socket);
    assert.deepEqual([writes, destroyed], [[], true]);
  });
});

describe('methods and the Host header', () => {
  const things: ServiceDefinition = {
    topics: [],
    handle: async () => undefined,
    routes(app) {
      app.get('/things/:id', async () => ({ ok: true }));
      app.delete('/things/:id', async () => ({ deleted: true }));
    },
  };

  it('a path routed for other methods → 405 METHOD_NOT_ALLOWED with Allow; an unknown path stays 404', async () => {
    const { app } = await testApp(things);
    const probe = await app.inject({ method: 'DELETE', url: '/livez?x=1' });
    assert.equal(probe.statusCode, 405);
    assert.equal(probe.headers.allow, 'GET, HEAD');
    const { error } = probe.json<{ error: { code: string; message: string; requestId: string } }>();
    assert.equal(error.code, 'METHOD_NOT_ALLOWED');
    assert.equal(error.message, 'DELETE is not allowed on /livez: it takes GET, HEAD');
    assert.equal(typeof error.requestId, 'string');
    const post = await app.inject({ method: 'POST', url: '/things/7' });
    assert.equal(post.statusCode, 405);
    assert.equal(post.headers.allow, 'GET, HEAD, DELETE');
    for (const [method, url] of [
      ['DELETE', '/'],
      ['GET', '/things'],
      ['GET', '/nope/7'],
    ] as const) {
      const res = await app.inject({ method, url });
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.equal(res.headers.allow, undefined);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'NOT_FOUND');
    }
    assert.equal((await app.inject({ method: 'DELETE', url: '/things/7' })).statusCode, 200);
  });

  it('an HTTP/1.1 request without Host → 400 VALIDATION in the one shape; HTTP/1.0 needs none', async () => {
    const { app, logs } = await testApp(things);
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const missing = await raw(port, 'GET /things/7 HTTP/1.1\r\nConnection: close\r\n\r\n');
      assert.equal(missing.status, 400);
      const { error } = missing.body as { error: { code: string; message: string; requestId: string } };
      assert.equal(error.code, 'VALIDATION');
      assert.match(error.message, /no Host header/);
      assert.equal(typeof error.requestId, 'string');
      const old = await raw(port, 'GET /livez HTTP/1.0\r\n\r\n');
      assert.deepEqual([old.status, old.body], [200, { status: 'ok' }]);
      const given = await raw(port, 'GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      assert.equal(given.status, 200);
      assert.ok(
        logs.some((l) => l.status_code === 400 && l.route === '/things/:id'),
        'the refused request has its access-log line',
      );
    } finally {
      await app.close();
    }
  });
});
