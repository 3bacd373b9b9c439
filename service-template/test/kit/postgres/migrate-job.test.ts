// The migrations as a job (`node dist/src/kit/postgres/migrate-job.js`), run as a process the way a
// Kubernetes Job runs it: its exit codes, its lines, and that it needs no other part's settings.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { closedPort } from '../../helpers.js';
import { realServer } from '../servers.js';
import { scratchDatabase, type ScratchDatabase } from './harness.js';

const server = realServer('TEST_DATABASE_URL', 'PostgreSQL 17');
const job = fileURLToPath(new URL('../../../src/kit/postgres/migrate-job.js', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The job with only `env` (and PATH): none of the service's other settings. */
function runJob(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const options = { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 };
    execFile(process.execPath, [job], options, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function lines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the migrations job, settings', () => {
  it('exits 2 naming DATABASE_URL alone when it is missing: no other part’s setting is asked for', async () => {
    const run = await runJob({ SERVICE_NAME: 'orders-api' });
    assert.equal(run.code, 2);
    assert.deepEqual(
      run.stderr.split('\n').filter((l) => l.startsWith('  - ')),
      ['  - DATABASE_URL: not set (required)'],
    );
    assert.match(run.stderr, /fix: set the variables above/);
  });

  it('exits 2 on an invalid postgres setting, its value never echoed', async () => {
    const run = await runJob({ DATABASE_URL: 'mysql://u:s3cr3t-value@db/x', DB_POOL_MAX: 'lots' });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /DATABASE_URL: expected a postgres:\/\//);
    assert.match(run.stderr, /DB_POOL_MAX: expected a number/);
    assert.doesNotMatch(run.stderr + run.stdout, /s3cr3t-value/);
  });

  it('exits 1 when the database cannot be reached, the password masked in its line', async () => {
    const port = await closedPort();
    const run = await runJob({ DATABASE_URL: `postgres://app:s3cr3t-value@127.0.0.1:${String(port)}/app` });
    assert.equal(run.code, 1);
    const fatal = lines(run.stdout).find((l) => l.msg === 'migrations failed');
    assert.ok(fatal, run.stdout + run.stderr);
    assert.match(JSON.stringify(fatal), /database unavailable/);
    assert.doesNotMatch(run.stdout + run.stderr, /s3cr3t-value/);
  });

  it('exits 2 when DB_MIGRATIONS_DIR names no folder, saying to correct the setting (before connecting)', async () => {
    const port = await closedPort();
    const run = await runJob({
      DATABASE_URL: `postgres://app:pw@127.0.0.1:${String(port)}/app`,
      DB_MIGRATIONS_DIR: '/nonexistent/migrations',
    });
    assert.equal(run.code, 2, run.stdout + run.stderr);
    const fatal = lines(run.stdout).find((l) => l.msg === 'migrations failed');
    assert.deepEqual(
      [fatal?.error, fatal?.fix],
      [
        'the migrations folder /nonexistent/migrations does not exist (or is not a folder)',
        'set DB_MIGRATIONS_DIR to the folder your migrations are in, or unset it for migrations/',
      ],
    );
  });
});

describe('the migrations job, on PostgreSQL', { skip: server.skip }, () => {
  let scratch: ScratchDatabase;
  let dir: string;
  before(async () => {
    scratch = await scratchDatabase(server.url);
    dir = mkdtempSync(join(tmpdir(), 'kit-pg-job-'));
    writeFileSync(join(dir, '1_items.sql'), '-- Up Migration\nCREATE TABLE items (id bigint PRIMARY KEY);\n');
  });
  after(async () => {
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates with DATABASE_URL alone, then finds nothing to do', async () => {
    const env = { DATABASE_URL: scratch.url, DB_MIGRATIONS_DIR: dir, SERVICE_NAME: 'orders-api' };
    const first = await runJob(env);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const done = lines(first.stdout).find((l) => l.msg === 'database migrated');
    assert.deepEqual(done?.applied, ['1_items']);
    assert.equal(done?.table, 'orders_api_migrations');
    assert.equal(done?.service, 'orders-api');

    const again = await runJob(env);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.ok(lines(again.stdout).some((l) => l.msg === 'database schema up to date'));
  });

  it('exits 1 when a migration fails, naming it', async () => {
    writeFileSync(join(dir, '2_broken.sql'), '-- Up Migration\nCREATE TABLE items (id bigint);\n');
    const run = await runJob({
      DATABASE_URL: scratch.url,
      DB_MIGRATIONS_DIR: dir,
      SERVICE_NAME: 'orders-api',
    });
    assert.equal(run.code, 1);
    assert.match(JSON.stringify(lines(run.stdout)), /2_broken/);
  });
});
