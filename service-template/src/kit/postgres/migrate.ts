// Migrations at start-up with node-pg-migrate 9.0.0's programmatic runner: every file in migrations/ not yet
// recorded in the pgmigrations table is applied, all in one transaction, behind node-pg-migrate's advisory
// lock (pg_advisory_lock: a second replica starting at the same time waits, then finds nothing to do).
// SQL files (`-- Up Migration` / `-- Down Migration`) need no build step: the same files work from the
// service's folder and in the Docker image, as long as migrations/ sits beside package.json.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Logger } from 'pino';
import { AppError } from '../../errors.js';
import { classify, redact } from './errors.js';

export interface MigrateOptions {
  readonly url: string;
  /** Default: migrations/ in the service's folder (the nearest folder above this file with a package.json). */
  readonly dir?: string;
  readonly connectTimeoutMs: number;
  readonly applicationName: string;
  readonly logger: Logger;
}

/** The service's migrations/: found from this module's place, so the working directory does not matter. */
export function defaultMigrationsDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'migrations');
    if (dirname(dir) === dir) return join(from, 'migrations');
  }
}

/** Apply the pending migrations; returns their names (none when the database is up to date). */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const dir = options.dir ?? defaultMigrationsDir();
  const say = (text: string): string => redact(text, options.url);
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
    const { runner } = await import('node-pg-migrate');
    const applied = await runner({
      dbClient: client,
      dir,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      singleTransaction: true,
      checkOrder: true,
      advisoryLockMode: 'wait',
      logger: {
        debug: (text: string) => options.logger.debug(say(text)),
        info: (text: string) => options.logger.debug(say(text)),
        warn: (text: string) => options.logger.warn(say(text)),
        error: (text: string) => options.logger.error(say(text)),
      },
    });
    const names = applied.map((m) => m.name);
    options.logger.info(
      { applied: names, dir },
      names.length ? 'database migrated' : 'database schema up to date',
    );
    return names;
  } catch (error) {
    throw migrationError(error, say);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why start-up stops: the database is unreachable, or a migration failed (and nothing was applied). */
function migrationError(error: unknown, say: (text: string) => string): AppError {
  const classified = classify(error, 0);
  const detail = say(error instanceof Error ? error.message : String(error));
  const result =
    classified?.code === 'UNAVAILABLE'
      ? new AppError(
          'UNAVAILABLE',
          `migrations could not run: ${classified.message}; fix: check DATABASE_URL and that the database is up`,
        )
      : new AppError(
          'INTERNAL',
          `a migration failed, none were applied: ${detail}; fix: correct the migration in migrations/`,
        );
  result.cause = error;
  return result;
}
