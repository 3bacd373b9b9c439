import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { AppError } from '../../../src/errors.js';
import { hang, json, loopback, testClient, waitFor, type Loopback, type TestClient } from './harness.js';

let server: Loopback | null = null;
let kit: TestClient | null = null;
afterEach(async () => {
  await kit?.close();
  await server?.close();
  kit = null;
  server = null;
});

const code = (error: unknown): string => (error instanceof AppError ? error.code : String(error));

describe('http-client circuit breaker', () => {
  it('opens after N consecutive failures (the next call never reaches the server), half-opens after the configured time, closes when the server recovers', async () => {
    server = await loopback(json(503, {}));
    const HALF_OPEN_MS = 300;
    kit = await testClient({
      HTTP_CLIENT_MAX_ATTEMPTS: 1,
      HTTP_CLIENT_BREAKER_FAILURES: 3,
      HTTP_CLIENT_BREAKER_HALF_OPEN_MS: HALF_OPEN_MS,
    });
    const { client } = kit;
    const url = `${server.origin}/items`;
    const state = () =>
      kit?.metric('http_client_circuit_breaker_state', { origin: server?.origin ?? '' }) ?? 0;
    for (let i = 0; i < 3; i += 1) await assert.rejects(client.getJson(url), (e) => code(e) === 'UPSTREAM');
    assert.equal(server.hits.length, 3);
    assert.equal(await state(), 1, 'open');

    let halfOpensAt = 0;
    await assert.rejects(client.getJson(url), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'UNAVAILABLE');
      assert.equal(error.status, 503);
      assert.match(
        error.message,
        /circuit breaker for http:\/\/127\.0\.0\.1:\d+ is open after 3 consecutive failures; calls fail at once until it half-opens at \d{4}-\d\d-\d\dT[\d:.]+Z \(in \d+ ms\)/,
      );
      halfOpensAt = Date.parse((error.details as { halfOpensAt: string }).halfOpensAt);
      return true;
    });
    assert.equal(server.hits.length, 3, 'the call was failed at once, not sent');
    assert.equal(
      await kit.metric('http_client_circuit_breaker_rejections_total', { origin: server.origin }),
      1,
    );

    // Half-open: after HALF_OPEN_MS one call goes through again (still failing here, so it re-opens).
    const srv = server;
    await waitFor(async () => {
      await client.getJson(url).catch(() => undefined);
      return srv.hits.length === 4;
    }, 'a call to get through once the breaker half-opens');
    const trial = srv.hits[3];
    // The breaker (cockatiel) reads the wall clock, which a loaded VM's host may step by a few ms (a trial
    // call was seen 8 ms before the announced time): a breaker that half-opened at once would be ~300 ms off.
    const CLOCK_SLACK_MS = 50;
    assert.ok(
      trial && trial.at >= halfOpensAt - CLOCK_SLACK_MS,
      `the trial call came ${halfOpensAt - (trial?.at ?? 0)} ms early`,
    );
    const waited = (trial?.monoMs ?? 0) - (srv.hits[2]?.monoMs ?? 0);
    assert.ok(
      waited >= HALF_OPEN_MS - CLOCK_SLACK_MS,
      `the trial call came ${waited.toFixed(0)} ms after the breaker opened`,
    );
    assert.ok(
      halfOpensAt - (srv.hits[2]?.at ?? 0) >= HALF_OPEN_MS - CLOCK_SLACK_MS,
      'half-opens HALF_OPEN_MS after opening',
    );
    assert.equal(await state(), 1, 'the trial call failed: open again');

    // The server recovers: the next trial call closes the breaker, and calls flow again.
    srv.behave(json(200, { ok: true }));
    await waitFor(
      async () => (await client.getJson(url).catch(() => null)) !== null,
      'the breaker to let a call through',
    );
    assert.equal(await state(), 0, 'closed');
    assert.deepEqual(await client.getJson(url), { ok: true });
    assert.ok(kit.logs.some((line) => line.includes('circuit breaker opened')));
  });

  it('counts timeouts and refused connections, not 4xx; a success resets the count; breakers are per origin', async () => {
    server = await loopback(json(404, {}));
    const other = await loopback(json(200, { other: true }));
    try {
      kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 1, HTTP_CLIENT_BREAKER_FAILURES: 2 });
      const url = `${server.origin}/x`;
      for (let i = 0; i < 5; i += 1) assert.equal((await kit.client.request(url)).status, 404);
      server.behave(json(500, {}));
      await assert.rejects(kit.client.request(url), (e) => code(e) === 'UPSTREAM');
      server.behave(json(200, {}));
      assert.equal((await kit.client.request(url)).status, 200);
      server.behave(json(500, {}));
      await assert.rejects(kit.client.request(url), (e) => code(e) === 'UPSTREAM');
      assert.equal(server.hits.length, 8, 'not open yet: the success in between reset the count');
      await assert.rejects(kit.client.request(url), (e) => code(e) === 'UPSTREAM');
      await assert.rejects(kit.client.request(url), (e) => code(e) === 'UNAVAILABLE');
      assert.equal(server.hits.length, 9);
      assert.deepEqual(
        await kit.client.getJson(`${other.origin}/y`),
        { other: true },
        'another origin is unaffected',
      );
    } finally {
      await other.close();
    }
  });

  it('timeouts alone open the breaker, and so do refused connections alone', async () => {
    const open = (e: unknown): boolean =>
      code(e) === 'UNAVAILABLE' && /circuit breaker .* is open/.test(String(e));
    server = await loopback(hang);
    kit = await testClient({
      HTTP_CLIENT_MAX_ATTEMPTS: 1,
      HTTP_CLIENT_BREAKER_FAILURES: 2,
      HTTP_CLIENT_TIMEOUT_MS: 200,
    });
    const hung = `${server.origin}/slow`;
    for (let i = 0; i < 2; i += 1) await assert.rejects(kit.client.request(hung), (e) => !open(e));
    assert.equal(server.hits.length, 2);
    await assert.rejects(kit.client.request(hung), open);
    assert.equal(server.hits.length, 2, 'open: the third call never reached the server');

    // A port nobody listens on any more: every connection is refused.
    const gone = await loopback(json(200, {}));
    const refused = `${gone.origin}/x`;
    await gone.close();
    for (let i = 0; i < 2; i += 1) await assert.rejects(kit.client.request(refused), (e) => !open(e));
    await assert.rejects(kit.client.request(refused), open);
  });

  it('a POST is not retried but its failure still counts towards opening the breaker', async () => {
    server = await loopback(json(503, {}));
    kit = await testClient({ HTTP_CLIENT_MAX_ATTEMPTS: 3, HTTP_CLIENT_BREAKER_FAILURES: 2 });
    const url = `${server.origin}/orders`;
    await assert.rejects(
      kit.client.request(url, { method: 'POST', json: {} }),
      (e) => code(e) === 'UPSTREAM',
    );
    // The GET's first attempt is the 2nd consecutive failure: the breaker opens and stops the retries.
    await assert.rejects(kit.client.getJson(url), (e) => code(e) === 'UNAVAILABLE');
    assert.equal(server.hits.length, 2);
  });
});
