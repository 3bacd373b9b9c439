import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { AppError } from '../../../src/errors.js';
import { defaultMigrationsDir, lockId, migrate, migrationsTable } from '../../../src/kit/postgres/migrate.js';
import { createLogger } from '../../../src/telemetry/index.js';
import { realServer } from '../servers.js';
import { scratchDatabase, start, type ScratchDatabase } from './harness.js';

const server = realServer('TEST_DATABASE_URL', 'PostgreSQL 17');
const logger = createLogger({ name: 'migrate-test', level: 'silent' });

async function tables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

/** A folder of SQL migrations: name → the Up Migration's statement. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kit-pg-migrations-'));
  for (const [name, sql] of Object.entries(files))
    writeFileSync(join(dir, name), name.endsWith('.sql') ? `-- Up Migration\n${sql}\n` : sql);
  return dir;
}

describe('each service’s migration record and lock', () => {
  it('are named after the service, a plain identifier of at most 63 characters', () => {
    assert.equal(migrationsTable('orders-api'), 'orders_api_migrations');
    assert.equal(migrationsTable('a'.repeat(63)).length, 63);
    assert.match(migrationsTable('9lives'), /^[a-z_][a-z0-9_]*$/);
    assert.equal(lockId('orders_api_migrations'), lockId('orders_api_migrations'));
    assert.notEqual(lockId('orders_api_migrations'), lockId('billing_migrations'));
    assert.ok(Number.isSafeInteger(lockId('x')) && lockId('x') > 0);
  });
});

describe('postgres migrations', { skip: server.skip }, () => {
  let scratch: ScratchDatabase;
  before(async () => {
    scratch = await scratchDatabase(server.url);
  });
  after(async () => {
    await scratch.drop();
  });

  it('finds the service’s migrations/ from the compiled module, whatever the working directory', () => {
    assert.match(defaultMigrationsDir(), /service-template[/\\]migrations$|[/\\]migrations$/);
    assert.doesNotMatch(defaultMigrationsDir(), /dist[/\\]/);
  });

  it('applies the shipped migration once; a second start applies nothing', async () => {
    const table = 'm_migrations';
    const options = { url: scratch.url, table, connectTimeoutMs: 2_000, applicationName: 'm', logger };
    assert.deepEqual(await migrate(options), ['1767225600000_create-items']);
    assert.deepEqual(await tables(scratch.url), ['items', table]);
    assert.deepEqual(await migrate(options), []);
    const started = await start({ DATABASE_URL: scratch.url, DB_MIGRATIONS_TABLE: table });
    try {
      const line = started.logs.find((l) => l.msg === 'database schema up to date');
      assert.deepEqual(line?.applied, []);
      assert.equal(line?.table, table);
      assert.deepEqual(await started.db.query(`SELECT count(*)::int AS n FROM ${table}`), [{ n: 1 }]);
    } finally {
      await started.part.close();
    }
  });

  it('lets one of two concurrent starts migrate, behind the advisory lock', async () => {
    const fresh = await scratchDatabase(server.url);
    try {
      const options = {
        url: fresh.url,
        table: 'm_migrations',
        connectTimeoutMs: 2_000,
        applicationName: 'm',
        logger,
      };
      const [a, b] = await Promise.all([migrate(options), migrate(options)]);
      assert.equal(a.length + b.length, 1, `applied ${JSON.stringify([a, b])}`);
    } finally {
      await fresh.drop();
    }
  });

  it('applies none of a batch when one fails, and names the one that failed', async () => {
    const dir = folder({
      '1_good.sql': 'CREATE TABLE good (id int);',
      '2_bad.sql': 'CREATE TABLE bad (id nosuchtype);',
    });
    const fresh = await scratchDatabase(server.url);
    try {
      const options = {
        url: fresh.url,
        dir,
        table: 't',
        connectTimeoutMs: 2_000,
        applicationName: 'm',
        logger,
      };
      await assert.rejects(migrate(options), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'INTERNAL');
        assert.match(error.message, /^migration 2_bad failed, none were applied: .*"nosuchtype"/);
        // The folder the fix names is the one given (DB_MIGRATIONS_DIR), not the default migrations/.
        assert.ok(error.message.endsWith(`fix: correct 2_bad in ${dir}`), error.message);
        assert.equal(error.cause, undefined); // the message says it all, once
        return true;
      });
      assert.deepEqual(await tables(fresh.url), ['t']);
      writeFileSync(join(dir, 'README.md'), 'notes');
      await assert.rejects(migrate(options), (error: unknown) => {
        assert.match(String(error), /could not be applied: .*README\.md/);
        assert.ok(
          String(error).includes(`fix: keep only migration files in ${dir}, each named`),
          String(error),
        );
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await fresh.drop();
    }
  });

  it('keeps services sharing a database apart: each its own record, numbering and lock', async () => {
    const fresh = await scratchDatabase(server.url);
    const a = folder({
      '1_a.sql': 'CREATE TABLE a_things (id int);',
      '3_a.sql': 'CREATE TABLE a_more (id int);',
    });
    const b = folder({ '2_b.sql': 'CREATE TABLE b_things (id int);' });
    const of = (dir: string, table: string) => ({
      url: fresh.url,
      dir,
      table,
      connectTimeoutMs: 2_000,
      applicationName: table,
      logger,
    });
    try {
      assert.deepEqual(await migrate(of(a, migrationsTable('svc-a'))), ['1_a', '3_a']);
      // One shared table would have taken 2_b for a file gone missing before 3_a, and refused it.
      assert.deepEqual(await migrate(of(b, migrationsTable('svc-b'))), ['2_b']);
      assert.deepEqual(await migrate(of(a, migrationsTable('svc-a'))), []);
      writeFileSync(join(b, '0_late.sql'), '-- Up Migration\nCREATE TABLE late (id int);\n');
      await assert.rejects(
        migrate(of(b, migrationsTable('svc-b'))),
        /0_late is preceding already run migration 2_b.*fix: .*give the new file a larger number/,
      );
    } finally {
      for (const dir of [a, b]) rmSync(dir, { recursive: true, force: true });
      await fresh.drop();
    }
  });

  it('a service from before template 1.9.0 (its record in pgmigrations) stops with the setting that keeps it', async () => {
    const fresh = await scratchDatabase(server.url);
    const dir = folder({ '1_old.sql': 'CREATE TABLE old_things (id int);' });
    const of = (table: string) => ({
      url: fresh.url,
      dir,
      table,
      connectTimeoutMs: 2_000,
      applicationName: 'm',
      logger,
    });
    try {
      assert.deepEqual(await migrate(of('pgmigrations')), ['1_old'], 'as the old template did');
      await assert.rejects(migrate(of(migrationsTable('old-svc'))), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.match(
          error.message,
          /recorded 1 of these migrations \(1_old\) in pgmigrations.*fix: .*set DB_MIGRATIONS_TABLE=pgmigrations/,
        );
        return true;
      });
      assert.deepEqual(await tables(fresh.url), ['old_things', 'pgmigrations'], 'nothing ran, no new table');
      writeFileSync(join(dir, '2_new.sql'), '-- Up Migration\nCREATE TABLE new_things (id int);\n');
      assert.deepEqual(
        await migrate(of('pgmigrations')),
        ['2_new'],
        'with the setting: the old record goes on',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await fresh.drop();
    }
  });

  it('stops start-up with UNAVAILABLE when the database refuses the credentials, never showing them', async () => {
    const wrong = new URL(scratch.url);
    wrong.password = 'not-the-password-42';
    await assert.rejects(start({ DATABASE_URL: wrong.toString() }), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'UNAVAILABLE');
      assert.match(error.message, /migrations could not run: database unavailable \(SQLSTATE 28P01\)/);
      assert.doesNotMatch(error.message, /not-the-password-42/);
      return true;
    });
  });

  it('a database that never answers, or refuses TLS, is UNAVAILABLE saying so, not a migration to correct', async () => {
    // A listener that accepts and never speaks: the migrations' client times out connecting.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const mute = new URL(scratch.url);
    mute.port = String(port);
    const tls = new URL(scratch.url);
    tls.searchParams.set('sslmode', 'verify-full');
    const cases: [string, RegExp][] = [
      [mute.toString(), /database unavailable \(no connection within the connect timeout\)/],
      [tls.toString(), /database unavailable \(the server does not accept TLS: remove sslmode/],
    ];
    try {
      for (const [url, why] of cases)
        await assert.rejects(start({ DATABASE_URL: url, DB_CONNECT_TIMEOUT_MS: '500' }), (error: unknown) => {
          assert.ok(error instanceof AppError);
          assert.equal(error.code, 'UNAVAILABLE', error.message);
          assert.match(error.message, why);
          assert.doesNotMatch(error.message, /correct the migrations/);
          return true;
        });
    } finally {
      silent.close();
    }
  });
});
