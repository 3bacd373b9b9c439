import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { AppError } from '../../../src/errors.js';
import { tcpProxy } from '../tcp-proxy.js';
import { json, loopback, testClient, type Loopback, type TestClient } from './harness.js';

let server: Loopback | null = null;
let kit: TestClient | null = null;
afterEach(async () => {
  await kit?.close();
  await server?.close();
  kit = null;
  server = null;
});

const appError = (code: string) => (error: unknown) => {
  assert.ok(error instanceof AppError, `an AppError, not ${String(error)}`);
  assert.equal(error.code, code, error.message);
  return true;
};

describe('http-client retries', () => {
  it('sends a POST to a failing server once (not idempotent), a GET up to the max attempts, and counts the retries', async () => {
    server = await loopback(json(503, { error: 'down' }));
    kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 3 });
    await assert.rejects(
      kit.client.request(`${server.origin}/orders`, { method: 'POST', json: { a: 1 } }),
      appError('UPSTREAM'),
    );
    assert.equal(server.hits.length, 1);
    await assert.rejects(kit.client.request(`${server.origin}/orders`), appError('UPSTREAM'));
    assert.equal(server.hits.length, 1 + 3);
    assert.equal(
      await kit.metric('http_client_retries_total', { method: 'GET', server_address: '127.0.0.1' }),
      2,
    );
    assert.equal(await kit.metric('http_client_retries_total', { method: 'POST' }), 0);
  });

  it('retries a POST that carries an Idempotency-Key, or that the caller marks idempotent', async () => {
    server = await loopback(json(502, {}));
    kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 2 });
    const url = `${server.origin}/payments`;
    await assert.rejects(
      kit.client.request(url, { method: 'POST', headers: { 'Idempotency-Key': 'k1' } }),
      appError('UPSTREAM'),
    );
    assert.equal(server.hits.length, 2);
    await assert.rejects(kit.client.request(url, { method: 'POST', idempotent: true }), appError('UPSTREAM'));
    assert.equal(server.hits.length, 4);
    await assert.rejects(kit.client.request(url, { method: 'GET', idempotent: false }), appError('UPSTREAM'));
    assert.equal(server.hits.length, 5);
  });

  it('does not retry a status that is not retryable (500, 4xx) and returns 4xx as a response', async () => {
    server = await loopback(json(500, { secret: 'stack trace' }));
    kit = await testClient();
    await assert.rejects(kit.client.request(`${server.origin}/a`), (error: unknown) => {
      appError('UPSTREAM')(error);
      const e = error as AppError;
      assert.deepEqual(e.details, { upstream: server?.origin, status: 500, attempts: 1 });
      assert.doesNotMatch(e.message, /stack trace/);
      return true;
    });
    assert.equal(server.hits.length, 1);
    server.behave(json(404, { error: 'no such order' }));
    const response = await kit.client.request(`${server.origin}/orders/9`);
    assert.equal(response.status, 404);
    assert.deepEqual(response.json(), { error: 'no such order' });
    assert.equal(server.hits.length, 2);
  });

  it('recovers within a call: a GET that meets 503 then 200 succeeds', async () => {
    server = await loopback(json(503, {}));
    kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 3 });
    const srv = server;
    srv.behave((request, response) =>
      (srv.hits.length < 2 ? json(503, {}) : json(200, { ok: true }))(request, response),
    );
    assert.deepEqual(await kit.client.getJson(`${srv.origin}/x`), { ok: true });
    assert.equal(srv.hits.length, 2);
  });

  it('honours Retry-After on 429 (the retry waits that long), and gives up at once when it exceeds the cap', async () => {
    server = await loopback(json(429, {}, { 'retry-after': '1' }));
    kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 2, HTTP_CLIENT_BACKOFF_CAP_MS: 5_000 });
    const srv = server;
    srv.behave((req, res) =>
      (srv.hits.length < 2 ? json(429, {}, { 'retry-after': '1' }) : json(200, { n: 2 }))(req, res),
    );
    assert.deepEqual(await kit.client.getJson(`${srv.origin}/limited`), { n: 2 });
    assert.equal(srv.hits.length, 2);
    const [first, second] = srv.hits;
    assert.ok(first && second);
    // Retry-After: 1 is one second; allow the clock a few ms of granularity.
    assert.ok(second.at - first.at >= 990, `retried after ${second.at - first.at} ms, asked for 1000`);

    srv.behave(json(429, {}, { 'retry-after': '120' }));
    const response = await kit.client.request(`${srv.origin}/limited`);
    assert.equal(response.status, 429, 'a 429 is a 4xx: returned, not thrown');
    assert.equal(srv.hits.length, 3, 'no retry: 120 s is beyond the 5 s cap');
    await assert.rejects(kit.client.getJson(`${srv.origin}/limited`), (error: unknown) => {
      appError('UNAVAILABLE')(error);
      assert.match((error as AppError).message, /rate limiting.*Retry-After 120/);
      return true;
    });
  });

  it('retries a refused connection, then fails UNAVAILABLE; works again once the server is back', async () => {
    server = await loopback(json(200, { ok: true }));
    const proxy = await tcpProxy({ host: '127.0.0.1', port: Number(new URL(server.origin).port) });
    try {
      kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 3 });
      const url = proxy.via(`${server.origin}/x`);
      await proxy.cut();
      await assert.rejects(kit.client.getJson(url), (error: unknown) => {
        appError('UNAVAILABLE')(error);
        assert.match((error as AppError).message, /cannot connect \(ECONNREFUSED\) after 3 attempts/);
        return true;
      });
      assert.equal(await kit.metric('http_client_retries_total', { method: 'GET' }), 2);
      assert.equal(
        await kit.metric('http_client_request_duration_seconds_count', { status_class: 'error' }),
        3,
      );
      await proxy.restore();
      assert.deepEqual(await kit.client.getJson(url), { ok: true });
    } finally {
      await proxy.close();
    }
  });
});
