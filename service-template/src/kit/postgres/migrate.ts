// Migrations at start-up with node-pg-migrate 9.0.0's programmatic runner: every file in migrations/ not yet
// recorded in the service's own table (<service>_migrations) is applied, all in one transaction, behind an
// advisory lock of the service's own (pg_advisory_lock: a second replica starting at the same time waits,
// then finds nothing to do; another service in the same database neither waits nor sees these records).
// SQL files (`-- Up Migration` / `-- Down Migration`) need no build step: the same files work from the
// service's folder and in the Docker image, as long as migrations/ sits beside package.json.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Logger } from 'pino';
import { AppError, StartupError } from '../../errors.js';
import { classify, redact } from './errors.js';

export interface MigrateOptions {
  readonly url: string;
  /** Where applied migrations are recorded (migrationsTable(service) unless DB_MIGRATIONS_TABLE says). */
  readonly table: string;
  /** Default: migrations/ in the service's folder (the nearest folder above this file with a package.json). */
  readonly dir?: string;
  readonly connectTimeoutMs: number;
  readonly applicationName: string;
  readonly logger: Logger;
}

/**
 * The service's record of applied migrations: `orders-api` → `orders_api_migrations` (an identifier that
 * needs no quoting, at most 63 characters). One per service, so services sharing a database never take
 * each other's records for their own.
 */
export function migrationsTable(serviceName: string): string {
  const base = serviceName
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/^(?=[0-9])/, 's_');
  return `${base.slice(0, 52)}_migrations`;
}

/** Where every service recorded its migrations before template 1.9.0 (node-pg-migrate's default). */
export const LEGACY_TABLE = 'pgmigrations';

/** The advisory lock of a migrations table: 48 bits of its name's SHA-256 (pg_advisory_lock takes a bigint). */
export function lockId(table: string): number {
  return createHash('sha256').update(`migrations:${table}`).digest().readUIntBE(0, 6);
}

/** The service's migrations/: found from this module's place, so the working directory does not matter. */
export function defaultMigrationsDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'migrations');
    if (dirname(dir) === dir) return join(from, 'migrations');
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Apply the pending migrations; returns their names (none when the database is up to date). */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const dir = options.dir ?? defaultMigrationsDir();
  const folder = options.dir ?? 'migrations/'; // as the fixes name it: the setting's value, or the default
  if (!isFolder(dir))
    throw new StartupError(
      `the migrations folder ${folder} does not exist (or is not a folder)`,
      options.dir === undefined
        ? 'create migrations/ beside package.json (it may be empty), or set DB_MIGRATE=off'
        : 'set DB_MIGRATIONS_DIR to the folder your migrations are in, or unset it for migrations/',
    );
  const { table } = options;
  const say = (text: string): string => redact(text, options.url);
  let running: string | null = null; // the migration being applied, for the error
  // A client of its own: no statement timeout (a migration may take long, and waiting for another
  // replica's lock does), and closed afterwards so nothing it SET reaches the pool.
  const client = new pg.Client({
    connectionString: options.url,
    connectionTimeoutMillis: options.connectTimeoutMs,
    application_name: `${options.applicationName}-migrate`,
  });
  client.on('error', () => undefined); // a dropped connection fails the running query; nothing else to do
  try {
    await client.connect();
    await refuseLegacyRecord(client, table, dir);
    const { runner } = await import('node-pg-migrate');
    const applied = await runner({
      dbClient: client,
      dir,
      direction: 'up',
      migrationsTable: table,
      // The legacy table keeps node-pg-migrate's own lock: replicas of the old and the new template exclude
      // each other during a rolling upgrade.
      ...(table === LEGACY_TABLE ? {} : { lockValue: lockId(table) }),
      singleTransaction: true,
      checkOrder: true,
      advisoryLockMode: 'wait',
      logger: {
        debug: (text: string) => options.logger.debug(say(text)),
        info: (text: string) => {
          running = /^### MIGRATION (.+) \(UP\) ###$/.exec(text)?.[1] ?? running;
          options.logger.debug(say(text));
        },
        warn: (text: string) => options.logger.warn(say(text)),
        error: (text: string) => options.logger.error(say(text)),
      },
    });
    const names = applied.map((m) => m.name);
    options.logger.info(
      { applied: names, dir, table },
      names.length ? 'database migrated' : 'database schema up to date',
    );
    return names;
  } catch (error) {
    throw migrationError(error, say, running, folder);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A service generated before template 1.9.0, brought up to date without DB_MIGRATIONS_TABLE: its own table
 * does not exist yet while pgmigrations records migrations of the same names, which would all run again
 * (and fail on the first CREATE). Stop first, with the setting that keeps the record.
 */
async function refuseLegacyRecord(client: pg.Client, table: string, dir: string): Promise<void> {
  if (table === LEGACY_TABLE) return;
  const { rows } = await client.query<{ fresh: boolean; legacy: boolean }>(
    'SELECT to_regclass($1) IS NULL AS fresh, to_regclass($2) IS NOT NULL AS legacy',
    [table, LEGACY_TABLE],
  );
  if (!(rows[0]?.fresh === true && rows[0].legacy)) return;
  const ours = new Set(existsSync(dir) ? readdirSync(dir).map((f) => f.replace(/\.[^.]+$/, '')) : []);
  const recorded = await client.query<{ name: string }>(`SELECT name FROM ${LEGACY_TABLE}`);
  const shared = recorded.rows.map((r) => r.name).filter((name) => ours.has(name));
  if (shared.length === 0) return;
  throw new AppError(
    'INTERNAL',
    `this database recorded ${shared.length} of these migrations (${shared.slice(0, 3).join(', ')}) in ${LEGACY_TABLE}, and ${table} does not exist yet: they would all run again; fix: if this service was generated before template 1.9.0, set DB_MIGRATIONS_TABLE=${LEGACY_TABLE} to keep that record; if another service recorded them, give yours other names`,
  );
}

/** Why start-up stops: the database is unreachable, or a migration failed (and nothing was applied). */
function migrationError(
  error: unknown,
  say: (text: string) => string,
  running: string | null,
  folder: string,
): AppError {
  if (error instanceof AppError) return error; // ours, said already
  const classified = classify(error, 0);
  if (classified?.code === 'UNAVAILABLE') {
    const unavailable = new AppError(
      'UNAVAILABLE',
      `migrations could not run: ${classified.message}; fix: check DATABASE_URL and that the database is up`,
    );
    unavailable.cause = error;
    return unavailable;
  }
  // PostgreSQL's or node-pg-migrate's message is the whole story: not kept as the cause too, which the
  // logger would print a second time.
  const detail = say(error instanceof Error ? error.message : String(error));
  if (running !== null) {
    return new AppError(
      'INTERNAL',
      `migration ${running} failed, none were applied: ${detail}; fix: correct ${running} in ${folder}`,
    );
  }
  return new AppError(
    'INTERNAL',
    `the migrations could not be applied: ${detail}; fix: ${fixFor(detail, folder)}`,
  );
}

/** What to do about a problem node-pg-migrate found before running anything. */
function fixFor(detail: string, folder: string): string {
  if (/numeric prefix/.test(detail))
    return `keep only migration files in ${folder}, each named <number>_<name>.sql`;
  if (/is preceding already run migration/.test(detail))
    return 'a migration must sort after every one already applied: give the new file a larger number';
  if (/have been deleted/.test(detail))
    return `a migration this database applied is gone from ${folder}: restore its file`;
  return `correct the migrations in ${folder}`;
}
