import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { AppError } from '../../../src/errors.js';
import { defaultMigrationsDir, migrate } from '../../../src/kit/postgres/migrate.js';
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
    const options = { url: scratch.url, connectTimeoutMs: 2_000, applicationName: 'm', logger };
    assert.deepEqual(await migrate(options), ['1767225600000_create-items']);
    assert.deepEqual(await tables(scratch.url), ['items', 'pgmigrations']);
    assert.deepEqual(await migrate(options), []);
    const started = await start({ DATABASE_URL: scratch.url });
    try {
      const line = started.logs.find((l) => l.msg === 'database schema up to date');
      assert.deepEqual(line?.applied, []);
      assert.deepEqual(await started.db.query('SELECT count(*)::int AS n FROM pgmigrations'), [{ n: 1 }]);
    } finally {
      await started.part.close();
    }
  });

  it('lets one of two concurrent starts migrate, behind the advisory lock', async () => {
    const fresh = await scratchDatabase(server.url);
    try {
      const options = { url: fresh.url, connectTimeoutMs: 2_000, applicationName: 'm', logger };
      const [a, b] = await Promise.all([migrate(options), migrate(options)]);
      assert.equal(a.length + b.length, 1, `applied ${JSON.stringify([a, b])}`);
    } finally {
      await fresh.drop();
    }
  });

  it('applies none of a batch when one fails, and says which failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kit-pg-migrations-'));
    const fresh = await scratchDatabase(server.url);
    try {
      writeFileSync(join(dir, '1_good.sql'), '-- Up Migration\nCREATE TABLE good (id int);\n');
      writeFileSync(join(dir, '2_bad.sql'), '-- Up Migration\nCREATE TABLE bad (id nosuchtype);\n');
      const options = { url: fresh.url, dir, connectTimeoutMs: 2_000, applicationName: 'm', logger };
      await assert.rejects(migrate(options), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'INTERNAL');
        assert.match(error.message, /a migration failed, none were applied: .*nosuchtype/);
        return true;
      });
      assert.deepEqual(await tables(fresh.url), ['pgmigrations']);
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
});
