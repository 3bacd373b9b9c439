import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { AppError } from '../../../src/errors.js';
import {
  hang,
  hangBody,
  json,
  loopback,
  testClient,
  type Loopback,
  type TestClient,
  waitFor,
} from './harness.js';

let server: Loopback | null = null;
let kit: TestClient | null = null;
afterEach(async () => {
  await kit?.close();
  await server?.close();
  kit = null;
  server = null;
});

/** How long `promise` takes to reject, and with what. */
async function timed(call: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  try {
    await call();
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
  throw new Error('expected the call to fail');
}

// Lower bounds only: a loaded machine may end a call late, never early. That it ends at all is the error
// each test expects (a TIMEOUT, the caller's reason) arriving before the test's own time limit.

describe('http-client timeouts', () => {
  it('a server that never answers: TIMEOUT after the timeout, not before', async () => {
    server = await loopback(hang);
    kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 1 });
    const { client } = kit;
    const { origin } = server;
    const { ms, error } = await timed(() => client.getJson(`${origin}/slow`, { timeoutMs: 200 }));
    assert.ok(error instanceof AppError && error.code === 'TIMEOUT', String(error));
    assert.match(error.message, /GET http:\/\/127\.0\.0\.1:\d+\/slow took longer than 200 ms \(1 attempt\)/);
    assert.ok(ms >= 195, `failed after ${ms} ms, before its 200 ms timeout`);
  });

  it('the timeout covers the body: headers in time but a body that stalls is a TIMEOUT too', async () => {
    server = await loopback(hangBody);
    kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 1, HTTP_CLIENT_TIMEOUT_MS: 200 });
    const { client } = kit;
    const { origin } = server;
    const { ms, error } = await timed(() => client.request(`${origin}/stalls`));
    assert.ok(error instanceof AppError && error.code === 'TIMEOUT', String(error));
    assert.ok(ms >= 195, `failed after ${ms} ms, before its 200 ms timeout`);
  });

  it('each attempt of an idempotent call gets the timeout; the server sees every attempt', async () => {
    server = await loopback(hang);
    kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 3, HTTP_CLIENT_TIMEOUT_MS: 150 });
    const { client } = kit;
    const { origin } = server;
    const { ms, error } = await timed(() => client.getJson(`${origin}/slow`));
    assert.ok(error instanceof AppError && error.code === 'TIMEOUT', String(error));
    assert.match(error.message, /\(3 attempts\)/);
    assert.equal(server.hits.length, 3);
    assert.ok(ms >= 3 * 145, `failed after ${ms} ms, before three 150 ms timeouts`);
    assert.equal(
      await kit.metric('http_client_request_duration_seconds_count', { status_class: 'error' }),
      3,
    );
  });

  it('an attempt still waiting for a free connection times out on time, not when the connection frees', async () => {
    server = await loopback(hang);
    kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 1, HTTP_CLIENT_CONNECTIONS: 1 });
    const { client } = kit;
    const { origin } = server;
    const srv = server;
    // The only connection is taken by a call that would hang for 30 s…
    const stopFirst = new AbortController();
    const first = timed(() =>
      client.request(`${origin}/first`, { timeoutMs: 30_000, signal: stopFirst.signal }),
    );
    await waitFor(() => srv.hits.length === 1, 'the first call to reach the server');
    // …so the second one waits in undici's queue, and its own 200 ms pass there.
    const { ms, error } = await timed(() => client.request(`${origin}/second`, { timeoutMs: 200 }));
    assert.ok(error instanceof AppError && error.code === 'TIMEOUT', String(error));
    assert.ok(ms >= 195, `failed after ${ms} ms, before its 200 ms timeout`);
    assert.ok(ms < 25_000, `failed after ${ms} ms: it waited for the first call's connection`);
    assert.equal(srv.hits.length, 1, 'the second call never reached the server');
    stopFirst.abort(new Error('done waiting'));
    assert.equal(((await first).error as Error).message, 'done waiting');
  });

  it("the caller's signal aborts the call at once with the signal's reason (not a TIMEOUT), cancelling the request", async () => {
    let cancelled = false; // the server saw the connection end before it answered
    server = await loopback((_request, response) => response.on('close', () => (cancelled = true)));
    // A timeout of a minute: only the abort can end the call, or the request, within the test.
    kit = await testClient({ HTTP_CLIENT_TIMEOUT_MS: 60_000 });
    const { client } = kit;
    const srv = server;
    const controller = new AbortController();
    const call = timed(() => client.request(`${srv.origin}/slow`, { signal: controller.signal }));
    await waitFor(() => srv.hits.length === 1, 'the call to reach the server');
    controller.abort(new Error('client went away'));
    const { ms, error } = await call;
    assert.ok(!(error instanceof AppError), `the signal's own reason, not ${String(error)}`);
    assert.equal((error as Error).message, 'client went away', `after ${ms} ms`);
    await waitFor(() => cancelled, 'the server to see the request cancelled', 20_000);
    assert.equal(srv.hits.length, 1, 'an aborted call is not retried');
  });

  it('an abort during a backoff does not wait the backoff out', async () => {
    // A backoff of a minute: waited out, the call would outlast this bound by far, loaded machine or not.
    server = await loopback(json(503, {}, { 'retry-after': '60' }));
    kit = await testClient({ HTTP_CLIENT_BACKOFF_CAP_MS: 120_000 });
    const { client } = kit;
    const { origin } = server;
    const second = new AbortController();
    const pending = timed(() => client.request(`${origin}/busy`, { signal: second.signal }));
    const srv = server;
    const busy = () => srv.hits.filter((hit) => hit.url === '/busy').length;
    await waitFor(() => busy() === 1, 'the first attempt to reach the server');
    second.abort(new Error('gave up'));
    const aborted = await pending;
    assert.equal((aborted.error as Error).message, 'gave up');
    assert.ok(aborted.ms < 30_000, `aborted after ${aborted.ms} ms: the 60 s backoff was waited out`);
  });
});
