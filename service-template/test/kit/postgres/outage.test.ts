import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../../src/errors.js';
import { realServer } from '../servers.js';
import { tcpProxy, type TcpProxy } from '../tcp-proxy.js';
import { sample, scratchDatabase, start, waitFor, type ScratchDatabase, type Started } from './harness.js';

const server = realServer('TEST_DATABASE_URL', 'PostgreSQL 17');

/** How long `promise` took to settle, and its error (undefined when it resolved). */
async function timed(promise: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const begun = performance.now();
  try {
    await promise;
    return { ms: performance.now() - begun, error: undefined };
  } catch (error) {
    return { ms: performance.now() - begun, error };
  }
}

const unavailable = (error: unknown): AppError => {
  assert.ok(error instanceof AppError, `an AppError, not ${String(error)}`);
  assert.equal(error.code, 'UNAVAILABLE');
  return error;
};

interface Proxied {
  readonly s: Started;
  readonly proxy: TcpProxy;
  /** The scratch database's password, decoded (to show it never reaches a log line). */
  readonly password: string;
  close(): Promise<void>;
}

/** The part started on a scratch database it reaches through a proxy the test can cut or stall. */
async function startProxied(env: Record<string, string> = {}): Promise<Proxied> {
  const scratch: ScratchDatabase = await scratchDatabase(server.url);
  const target = new URL(scratch.url);
  const proxy = await tcpProxy({ host: target.hostname, port: Number(target.port) });
  const s = await start({ DATABASE_URL: proxy.via(scratch.url), ...env });
  return {
    s,
    proxy,
    password: decodeURIComponent(target.password),
    async close() {
      proxy.resume();
      await s.part.close();
      await proxy.close();
      await scratch.drop();
    },
  };
}

describe('postgres outages', { skip: server.skip }, () => {
  let proxied: Proxied;
  let proxy: TcpProxy;
  let s: Started;
  let password: string;
  before(async () => {
    proxied = await startProxied();
    ({ s, proxy, password } = proxied);
  });
  after(() => proxied.close());

  const ready = async (): Promise<boolean> => (await s.part.readiness?.check())?.ready ?? false;

  it('is ready and answers while the database is reachable', async () => {
    const connected = s.logs.find((l) => l.msg === 'postgres connected');
    assert.equal(connected?.host, '127.0.0.1');
    assert.equal(connected.port, proxy.port); // a number, as in every other line
    assert.equal(connected.poolMax, 10);
    assert.equal(await ready(), true);
    await s.db.execute('INSERT INTO items (name) VALUES ($1)', ['before']);
  });

  it('turns unready and fails requests fast with UNAVAILABLE when the database goes away', async () => {
    await Promise.all(Array.from({ length: 4 }, () => s.db.query('SELECT pg_sleep(0.01)'))); // idle connections in the pool
    await proxy.cut();
    await waitFor('readiness to fail', async () => !(await ready()), 5_000);
    const check = await s.part.readiness?.check();
    assert.match(check?.reason ?? '', /^database unavailable \(|^no answer within/, 'readiness says why');
    for (let i = 0; i < 5; i += 1) {
      const { ms, error } = await timed(s.db.query('SELECT name FROM items'));
      assert.match(unavailable(error).message, /^database unavailable \(/);
      assert.ok(ms < 1_000, `failed after ${ms.toFixed(0)} ms`);
    }
    const { ms, error } = await timed(s.db.transaction((tx) => tx.query('SELECT 1')));
    unavailable(error);
    assert.ok(ms < 1_000, `transaction failed after ${ms.toFixed(0)} ms`);
  });

  it('recovers by itself when the database is back: same handle, no restart', async () => {
    await proxy.restore();
    await waitFor('readiness to pass', ready, 10_000);
    await waitFor('a query to succeed', async () => {
      try {
        return (await s.db.query<{ name: string }>('SELECT name FROM items')).length === 1;
      } catch {
        return false;
      }
    });
    await s.db.transaction((tx) => tx.execute('INSERT INTO items (name) VALUES ($1)', ['after']));
    assert.equal((await s.db.query('SELECT name FROM items')).length, 2);
  });

  it('never writes the password in a log line or an error message', async () => {
    const messages: string[] = [];
    await proxy.cut();
    for (let i = 0; i < 3; i += 1) messages.push(String((await timed(s.db.query('SELECT 1'))).error));
    await proxy.restore();
    const logs = JSON.stringify(s.logs);
    assert.ok(s.logs.length > 0);
    assert.ok(!logs.includes(password), 'no password in the logs');
    assert.ok(!logs.includes(encodeURIComponent(password)), 'no encoded password in the logs');
    await proxy.cut();
    messages.push(JSON.stringify(await s.part.readiness?.check()));
    await proxy.restore();
    for (const m of messages) assert.ok(!m.includes(password), `no password in "${m}"`);
  });
});

describe('postgres that accepts connections but never answers', { skip: server.skip }, () => {
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => sockets.add(socket));
  let s: Started;
  before(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    s = await start({
      DATABASE_URL: `postgres://app:pw@127.0.0.1:${String(port)}/app`,
      DB_MIGRATE: 'off',
      DB_CONNECT_TIMEOUT_MS: '300',
    });
  });
  after(async () => {
    await s.part.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('says at start that the database is not reachable yet, not that it is ready', () => {
    const said = s.logs.map((l) => l.msg);
    assert.ok(said.includes('postgres not reachable yet: queries fail and /readyz says so until it is'));
    assert.ok(!said.includes('postgres connected'));
  });

  it('fails queries with UNAVAILABLE once the connect timeout passes', async () => {
    const { ms, error } = await timed(s.db.query('SELECT 1'));
    unavailable(error);
    assert.ok(ms >= 250 && ms < 1_500, `failed after ${ms.toFixed(0)} ms`);
  });

  it('reports unready within the probe’s one-second budget', async () => {
    const begun = performance.now();
    const check = await s.part.readiness?.check();
    const ms = performance.now() - begun;
    assert.equal(check?.ready, false);
    assert.match(check?.reason ?? '', /no answer within 800 ms|database unavailable/);
    assert.ok(ms < 1_000, `answered after ${ms.toFixed(0)} ms`);
  });
});

describe('postgres that stops answering in the middle of a query', { skip: server.skip }, () => {
  let proxied: Proxied;
  let proxy: TcpProxy;
  let s: Started;
  before(async () => {
    proxied = await startProxied({ DB_STATEMENT_TIMEOUT_MS: '300', DB_CONNECT_TIMEOUT_MS: '300' });
    ({ s, proxy } = proxied);
  });
  after(() => proxied.close());

  it('fails a query and a transaction with UNAVAILABLE, and gives their connections up', async () => {
    await Promise.all([s.db.query('SELECT 1'), s.db.query('SELECT 1')]); // pooled connections, then silence
    proxy.stall(); // the server's answers are held back: its statement timeout can never reach the client
    const query = await timed(s.db.query('SELECT 1'));
    const tx = await timed(s.db.transaction((q) => q.query('SELECT 1')));
    for (const { error } of [query, tx])
      assert.match(unavailable(error).message, /no answer from the database/);
    // Past the statement and connect timeouts (600 ms), not hung: the bound is loose for a busy machine.
    assert.ok(query.ms >= 550 && query.ms < 10_000, `the query failed after ${query.ms.toFixed(0)} ms`);
    assert.equal(await sample(s.registry, 'db_pool_connections{state="in_use"}'), 0, 'no slot held');
    proxy.resume();
    await waitFor('queries to succeed again', async () => {
      try {
        await s.db.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    });
  });
});
