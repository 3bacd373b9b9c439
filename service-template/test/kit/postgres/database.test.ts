import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { AppError } from '../../../src/errors.js';
import { realServer } from '../servers.js';
import { sample, scratchDatabase, start, type ScratchDatabase, type Started } from './harness.js';

const server = realServer('TEST_DATABASE_URL', 'PostgreSQL 17');

const isCode = (code: string) => (error: unknown) => {
  assert.ok(error instanceof AppError, `an AppError, not ${String(error)}`);
  assert.equal(error.code, code);
  return true;
};

describe('postgres database handle', { skip: server.skip }, () => {
  let scratch: ScratchDatabase;
  let s: Started;
  before(async () => {
    scratch = await scratchDatabase(server.url);
    s = await start({ DATABASE_URL: scratch.url, DB_POOL_MAX: '5', DB_STATEMENT_TIMEOUT_MS: '300' });
    await s.db.execute('CREATE TABLE ledger (account text NOT NULL, amount int NOT NULL)');
  });
  after(async () => {
    await s.part.close();
    await scratch.drop();
  });

  it('returns typed rows and changed-row counts', async () => {
    const rows = await s.db.query<{ id: string; name: string }>(
      'INSERT INTO items (name) VALUES ($1), ($2) RETURNING id, name',
      ['a', 'b'],
    );
    assert.deepEqual(
      rows.map((r) => r.name),
      ['a', 'b'],
    );
    assert.equal(
      await s.db.execute('UPDATE items SET name = name || $1 WHERE name = ANY($2)', ['!', ['a', 'b']]),
      2,
    );
  });

  it('commits a transaction, and rolls it back when fn throws', async () => {
    const id = await s.db.transaction(async (tx) => {
      const [row] = await tx.query<{ id: string }>('INSERT INTO items (name) VALUES ($1) RETURNING id', [
        'kept',
      ]);
      return row?.id;
    });
    assert.ok(id);
    const boom = new Error('changed my mind');
    await assert.rejects(
      s.db.transaction(async (tx) => {
        await tx.execute('INSERT INTO items (name) VALUES ($1)', ['dropped']);
        throw boom;
      }),
      (error) => error === boom,
    );
    const names = await s.db.query<{ name: string }>(
      "SELECT name FROM items WHERE name IN ('kept', 'dropped')",
    );
    assert.deepEqual(names, [{ name: 'kept' }]);
    assert.equal(await sample(s.registry, 'db_pool_connections{state="in_use"}'), 0);
  });

  it('does not report a commit when fn swallowed a failed statement', async () => {
    await assert.rejects(
      s.db.transaction(async (tx) => {
        await tx.execute('INSERT INTO items (name) VALUES ($1)', ['swallowed']);
        await tx.query('SELECT 1/0').catch(() => undefined); // the transaction is now aborted
      }),
      /the transaction was rolled back: a statement in it failed and fn caught its error/,
    );
    assert.deepEqual(await s.db.query("SELECT name FROM items WHERE name = 'swallowed'"), []);
  });

  it('refuses a tx used after its transaction ended', async () => {
    let kept: Parameters<Parameters<typeof s.db.transaction>[0]>[0] | undefined;
    await s.db.transaction(async (tx) => {
      kept = tx;
    });
    await assert.rejects(kept?.query('SELECT 1') ?? Promise.resolve(), /this transaction has finished/);
  });

  it('retries a real serialization failure between two SERIALIZABLE transactions', async () => {
    // Write skew: both read the account's rows, both add one; the second to commit must fail with 40001.
    let reads = 0;
    let bothRead: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => (bothRead = resolve));
    let calls = 0;
    const deposit = () =>
      s.db.transaction(async (tx) => {
        calls += 1;
        const [row] = await tx.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM ledger WHERE account = 'x'",
        );
        if (++reads === 2) bothRead();
        if (reads <= 2) await barrier;
        await tx.execute("INSERT INTO ledger (account, amount) VALUES ('x', $1)", [(row?.n ?? 0) + 1]);
      });
    const before = (await sample(s.registry, 'db_transaction_retries_total')) ?? 0;
    await Promise.all([deposit(), deposit()]);
    assert.equal(calls, 3, 'one of the two ran again');
    assert.deepEqual(await s.db.query("SELECT amount FROM ledger WHERE account = 'x' ORDER BY amount"), [
      { amount: 1 },
      { amount: 2 },
    ]);
    assert.equal(await sample(s.registry, 'db_transaction_retries_total'), before + 1);
  });

  it('retries a real deadlock (40P01)', async () => {
    // Deadlocks are found after deadlock_timeout (1 s by default): 50 ms for this pool's sessions.
    const url = new URL(scratch.url);
    url.searchParams.set('options', '-c deadlock_timeout=50');
    const d = await start({ DATABASE_URL: url.toString(), DB_MIGRATE: 'off' });
    try {
      await d.db.execute("INSERT INTO ledger (account, amount) VALUES ('d1', 0), ('d2', 0)");
      let locked = 0;
      let bothLocked: () => void = () => undefined;
      const barrier = new Promise<void>((resolve) => (bothLocked = resolve));
      let calls = 0;
      // Opposite orders: each holds one row and waits for the other's.
      const move = (first: string, second: string) =>
        d.db.transaction(
          async (tx) => {
            calls += 1;
            await tx.execute('UPDATE ledger SET amount = amount + 1 WHERE account = $1', [first]);
            if (++locked === 2) bothLocked();
            if (locked <= 2) await barrier;
            await tx.execute('UPDATE ledger SET amount = amount + 1 WHERE account = $1', [second]);
          },
          { isolation: 'read-committed' },
        );
      await Promise.all([move('d1', 'd2'), move('d2', 'd1')]);
      assert.equal(calls, 3, 'the deadlock victim ran again');
      assert.deepEqual(await d.db.query("SELECT amount FROM ledger WHERE account IN ('d1', 'd2')"), [
        { amount: 2 },
        { amount: 2 },
      ]);
      assert.equal(await sample(d.registry, 'db_transaction_retries_total'), 1);
    } finally {
      await d.part.close();
    }
  });

  it('answers CONFLICT when the retries run out', async () => {
    let reads = 0;
    let bothRead: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => (bothRead = resolve));
    const deposit = () =>
      s.db.transaction(
        async (tx) => {
          await tx.query("SELECT count(*) FROM ledger WHERE account = 'y'");
          if (++reads === 2) bothRead();
          await barrier;
          await tx.execute("INSERT INTO ledger (account, amount) VALUES ('y', 1)");
        },
        { retries: 0 },
      );
    const results = await Promise.allSettled([deposit(), deposit()]);
    const failed = results.filter((r) => r.status === 'rejected');
    assert.equal(failed.length, 1);
    assert.ok(isCode('CONFLICT')((failed[0] as PromiseRejectedResult).reason));
  });

  it('maps a statement timeout to TIMEOUT and a unique violation to CONFLICT, and counts them', async () => {
    const timeouts = 'db_query_errors_total{operation="SELECT",error="TIMEOUT"}';
    const conflicts = 'db_query_errors_total{operation="INSERT",error="CONFLICT"}';
    const before = {
      timeouts: await sample(s.registry, timeouts),
      conflicts: await sample(s.registry, conflicts),
    };
    await assert.rejects(s.db.query('SELECT pg_sleep(2)'), isCode('TIMEOUT'));
    await s.db.execute('INSERT INTO items (name) VALUES ($1)', ['unique-one']);
    await assert.rejects(s.db.execute('INSERT INTO items (name) VALUES ($1)', ['unique-one']), (error) => {
      isCode('CONFLICT')(error);
      assert.match((error as AppError).message, /items_name_key/);
      return true;
    });
    await assert.rejects(s.db.query('SELEC nonsense'), (error) => !(error instanceof AppError));
    assert.equal(await sample(s.registry, timeouts), (before.timeouts ?? 0) + 1);
    assert.equal(await sample(s.registry, conflicts), (before.conflicts ?? 0) + 1);
  });

  it('never opens more than DB_POOL_MAX connections under 200 concurrent queries', async () => {
    const watcher = new pg.Client({ connectionString: scratch.url });
    await watcher.connect();
    let done = false;
    let most = 0;
    let mostInUse = 0;
    const watch = (async () => {
      while (!done) {
        const { rows } = await watcher.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
          [s.name],
        );
        most = Math.max(most, rows[0]?.n ?? 0);
        mostInUse = Math.max(
          mostInUse,
          (await sample(s.registry, 'db_pool_connections{state="in_use"}')) ?? 0,
        );
      }
    })();
    try {
      const all = Array.from({ length: 200 }, (_, i) =>
        s.db.query<{ i: number }>('SELECT $1::int AS i, pg_sleep(0.005)', [i]),
      );
      const rows = await Promise.all(all);
      assert.deepEqual(
        rows.map((r) => r[0]?.i),
        Array.from({ length: 200 }, (_, i) => i),
      );
    } finally {
      done = true;
      await watch;
      await watcher.end();
    }
    assert.ok(most >= 1 && most <= 5, `${String(most)} connections seen in pg_stat_activity`);
    assert.ok(mostInUse >= 1 && mostInUse <= 5, `${String(mostInUse)} in use seen in the pool's gauge`);
  });

  it('keeps a connection whose statement failed, unless it is left in a transaction: the next caller gets an idle session', async () => {
    const one = await start({
      DATABASE_URL: scratch.url,
      DB_MIGRATE: 'off',
      DB_POOL_MAX: '1',
      DB_STATEMENT_TIMEOUT_MS: '300',
    });
    try {
      const pid = async () => (await one.db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.pid;
      const first = await pid();
      await one.db.execute('INSERT INTO items (name) VALUES ($1)', ['kept-session']);
      await assert.rejects(
        one.db.execute('INSERT INTO items (name) VALUES ($1)', ['kept-session']),
        isCode('CONFLICT'),
      );
      await assert.rejects(one.db.query('SELECT pg_sleep(2)'), isCode('TIMEOUT'));
      await assert.rejects(one.db.query('SELEC nonsense'));
      assert.equal(await pid(), first, 'no new connection after a conflict, a timeout and a syntax error');
      // Several statements in one (no parameters: one simple query): the failed INSERT skips the COMMIT and
      // leaves the session in an aborted transaction (25P02 for whatever comes next) until a ROLLBACK.
      await assert.rejects(
        one.db.execute("BEGIN; INSERT INTO items (name) VALUES ('kept-session'); COMMIT"),
        isCode('CONFLICT'),
      );
      assert.equal(await pid(), first, 'rolled back and kept: the next statement runs, on the same session');
      // A transaction opened by hand and left open is not handed on.
      await one.db.execute('BEGIN');
      assert.notEqual(await pid(), first, 'the open transaction was closed with its session');
    } finally {
      await one.part.close();
    }
  });

  it('fails a transaction whose connection is killed with UNAVAILABLE; the service lives on', async () => {
    const killer = new pg.Client({ connectionString: scratch.url });
    await killer.connect();
    // A failure nobody listens for is thrown where pg emits it: out of any test, which would end a service.
    const uncaught: unknown[] = [];
    const hear = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtException', hear);
    try {
      // The connection is killed while the transaction's statement runs, and again between two statements
      // (the failure then reaches no statement in flight: only the connection's 'error' event hears it).
      for (const between of [false, true]) {
        let pid = 0;
        const tx = s.db.transaction(async (q) => {
          pid = (await q.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.pid ?? 0;
          const kill = killer.query('SELECT pg_terminate_backend($1)', [pid]);
          if (between) {
            await kill;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          await q.query('SELECT pg_sleep(1)');
          await kill;
        });
        await assert.rejects(tx, isCode('UNAVAILABLE'));
        assert.ok(pid > 0);
      }
      assert.deepEqual(await s.db.query('SELECT 1 AS one'), [{ one: 1 }], 'the pool serves again');
      assert.equal(await sample(s.registry, 'db_pool_connections{state="in_use"}'), 0, 'no slot held');
      assert.deepEqual(uncaught.map(String), [], 'no error went unheard');
    } finally {
      process.off('uncaughtException', hear);
      await killer.end();
    }
  });

  it('shows pool, duration and error metrics in the registry', async () => {
    const text = await s.registry.metrics();
    for (const series of [
      /^db_pool_connections\{state="in_use"\} \d+$/m,
      /^db_pool_connections\{state="idle"\} \d+$/m,
      /^db_pool_pending_requests \d+$/m,
      /^db_pool_max_connections 5$/m,
      /^db_query_duration_seconds_count\{operation="SELECT"\} \d+$/m,
      /^db_query_duration_seconds_bucket\{le="0.001",operation="INSERT"\} \d+$/m,
      /^db_query_errors_total\{operation="OTHER",error="OTHER"\} 1$/m,
      /^db_transaction_retries_total \d+$/m,
    ]) {
      assert.match(text, series);
    }
  });
});
