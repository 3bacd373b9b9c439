// What a route sees: `await client.getJson(...)` either returns the data or throws an AppError that the
// app turns into the service's one error shape (502 UPSTREAM, 503 UNAVAILABLE, 504 TIMEOUT).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import type { ServiceDefinition } from '../../../src/app.js';
import { testApp, type TestApp } from '../../helpers.js';
import { hang, json, loopback, testClient, type Loopback, type TestClient } from './harness.js';

const Order = z.object({ id: z.string(), total: z.number() });

let upstream: Loopback;
let kit: TestClient;
let app: TestApp;
// Generous, so a loaded machine never turns a normal answer into a 504; the hanging case sets it short.
let timeoutMs = 10_000;

before(async () => {
  upstream = await loopback(json(200, { id: 'o-1', total: 12.5 }));
  kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 2 });
  const service: ServiceDefinition = {
    topics: [],
    handle: async () => undefined,
    routes(fastify) {
      fastify.get('/orders/:id', async (request) => {
        const { id } = request.params as { id: string };
        return kit.client.getJson(`${upstream.origin}/orders/${id}`, { schema: Order, timeoutMs });
      });
    },
  };
  app = await testApp(service);
});
after(async () => {
  await app.app.close();
  await kit.close();
  await upstream.close();
});

const get = async (path: string) => {
  const res = await app.app.inject({ url: path });
  return {
    status: res.statusCode,
    body: res.json<{ error?: { code: string; message: string; details?: unknown } }>(),
  };
};

describe('http-client from a route', () => {
  it('returns the upstream data, validated', async () => {
    upstream.behave(json(200, { id: 'o-1', total: 12.5 }));
    const res = await app.app.inject({ url: '/orders/o-1' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { id: 'o-1', total: 12.5 });
  });

  it('maps each failure to the service error shape', async () => {
    upstream.behave(json(503, { internal: 'db password is hunter2' }));
    const unavailable = await get('/orders/o-1');
    assert.equal(unavailable.status, 502);
    assert.equal(unavailable.body.error?.code, 'UPSTREAM');
    assert.deepEqual(unavailable.body.error?.details, {
      upstream: upstream.origin,
      status: 503,
      attempts: 2,
    });
    assert.doesNotMatch(JSON.stringify(unavailable.body), /hunter2/);

    upstream.behave(json(404, { error: 'no such order' }));
    const missing = await get('/orders/o-9');
    assert.deepEqual([missing.status, missing.body.error?.code], [502, 'UPSTREAM']);
    assert.match(
      missing.body.error?.message ?? '',
      /answered 404 to GET http:\/\/127\.0\.0\.1:\d+\/orders\/o-9$/,
    );

    upstream.behave(hang);
    timeoutMs = 150;
    const slow = await get('/orders/o-1');
    timeoutMs = 10_000;
    assert.deepEqual([slow.status, slow.body.error?.code], [504, 'TIMEOUT']);
    assert.match(slow.body.error?.message ?? '', /took longer than 150 ms/);

    upstream.behave(json(200, { id: 'o-1', total: 'twelve' }));
    const wrong = await get('/orders/o-1');
    assert.deepEqual([wrong.status, wrong.body.error?.code], [502, 'UPSTREAM']);
    assert.match(wrong.body.error?.message ?? '', /JSON of an unexpected shape/);
    assert.deepEqual(wrong.body.error?.details, {
      upstream: upstream.origin,
      issues: [{ path: 'total', message: 'Invalid input: expected number, received string' }],
    });

    upstream.behave((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>oops</html>');
    });
    const html = await get('/orders/o-1');
    assert.deepEqual([html.status, html.body.error?.code], [502, 'UPSTREAM']);
    assert.match(html.body.error?.message ?? '', /a body that is not JSON/);
  });
});
