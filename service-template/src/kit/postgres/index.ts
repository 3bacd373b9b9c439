// The postgres part of the service kit: a bounded pg.Pool with a statement timeout, typed queries and
// transactions (Database), migrations at start-up, readiness, metrics and spans. See docs/postgres.md.
import pg from 'pg';
import { z } from 'zod';
import type { PartDeps, StartedPart } from '../part.js';
import { cutShort, refuse } from '../server-url.js';
import { createDatabase, type Database } from './database.js';
import { redact } from './errors.js';
import { createDbMetrics } from './metrics.js';
import { migrate, migrationsTable, type MigrateOptions } from './migrate.js';
import { createProbe } from './readiness.js';
import { instrumentPg } from './tracing.js';

export type { Database, Queryable, TransactionOptions } from './database.js';
export type { Isolation } from './sql.js';

export const postgresSettings = {
  /** postgres://user:password@host:5432/database (TLS: add ?sslmode=verify-full). Its password is never logged. */
  DATABASE_URL: z
    .url({
      protocol: /^postgres(ql)?$/,
      error: 'expected a postgres://user:password@host:port/database URL',
    })
    // pg keeps a password that does not decode as written: only a URL cut short is refused.
    .superRefine(refuse(cutShort)),
  /** The most connections the pool opens; queries beyond it wait (up to DB_CONNECT_TIMEOUT_MS). */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** Postgres cancels a statement running longer (SQLSTATE 57014: the caller gets TIMEOUT, 504). */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** How long a query waits for a connection (a new one, or a free one from a busy pool) before UNAVAILABLE. */
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /** An unused connection is closed after this long. */
  DB_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(30_000),
  /** on: apply the pending migrations in migrations/ at start-up (behind an advisory lock). */
  DB_MIGRATE: z.enum(['on', 'off']).default('on'),
  /** Where the migrations are. Default: migrations/ beside the service's package.json. */
  DB_MIGRATIONS_DIR: z.string().min(1).optional(),
  /**
   * The table recording which migrations ran. Default: the service's name, `orders-api` →
   * `orders_api_migrations`; set it to keep the record when you rename the service (`pgmigrations`:
   * a service generated before template 1.9.0).
   */
  DB_MIGRATIONS_TABLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a table name: a-z, 0-9 and _, at most 63 characters')
    .optional(),
  /** transaction(fn) runs fn again this many times after a serialization failure or deadlock. */
  DB_TX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  /** transaction(fn)'s isolation level unless the call names one. */
  DB_TX_ISOLATION: z.enum(['serializable', 'repeatable-read', 'read-committed']).default('serializable'),
};

export type PostgresSettings = z.infer<z.ZodObject<typeof postgresSettings>>;

/** How the service migrates, at start-up or as a job (migrate-job.ts): the same table, lock and files. */
export function migrateOptions(
  settings: PostgresSettings,
  deps: Pick<PartDeps, 'serviceName' | 'logger'>,
): MigrateOptions {
  return {
    url: settings.DATABASE_URL,
    table: settings.DB_MIGRATIONS_TABLE ?? migrationsTable(deps.serviceName),
    ...(settings.DB_MIGRATIONS_DIR ? { dir: settings.DB_MIGRATIONS_DIR } : {}),
    connectTimeoutMs: settings.DB_CONNECT_TIMEOUT_MS,
    applicationName: deps.serviceName,
    logger: deps.logger,
  };
}

/** The readiness check's budget: under the app's one-second probe timeout. */
const READINESS_TIMEOUT_MS = 800;

export async function startPostgres(
  settings: PostgresSettings,
  deps: PartDeps,
): Promise<StartedPart<Database>> {
  const url = settings.DATABASE_URL;
  instrumentPg();
  if (settings.DB_MIGRATE === 'on') await migrate(migrateOptions(settings, deps));
  const pool = new pg.Pool({
    connectionString: url,
    max: settings.DB_POOL_MAX,
    connectionTimeoutMillis: settings.DB_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: settings.DB_IDLE_TIMEOUT_MS,
    statement_timeout: settings.DB_STATEMENT_TIMEOUT_MS,
    // The statement timeout runs in the server: a server that stopped answering (frozen, failing over, the
    // network dropping packets) never sends it. Past it and the connect timeout the client gives up, and
    // the connection is dropped instead of holding a pool slot for good.
    query_timeout: settings.DB_STATEMENT_TIMEOUT_MS + settings.DB_CONNECT_TIMEOUT_MS,
    keepAlive: true,
    application_name: deps.serviceName,
  });
  // An idle connection that breaks (the database restarted, the network dropped) is removed by the pool;
  // without a listener the error would end the process.
  pool.on('error', (error) => {
    deps.logger.warn(
      { reason: redact(error.message, url) },
      'an idle database connection broke; the pool dropped it',
    );
  });
  const probe = createProbe({ url, applicationName: deps.serviceName, timeoutMs: READINESS_TIMEOUT_MS });
  const metrics = createDbMetrics(deps.registry, pool, settings.DB_POOL_MAX);
  const { hostname, port, pathname } = new URL(url);
  const where = { host: hostname, port: Number(port || 5432), database: pathname.slice(1) };
  // Said once it is known: the pool connects lazily, so ask (the readiness probe's connection) before saying it.
  const first = await probe.check();
  if (first.ready) deps.logger.info({ ...where, poolMax: settings.DB_POOL_MAX }, 'postgres connected');
  else
    deps.logger.warn(
      { ...where, reason: first.reason },
      'postgres not reachable yet: queries fail and /readyz says so until it is',
    );
  return {
    handle: createDatabase(pool, metrics, {
      statementTimeoutMs: settings.DB_STATEMENT_TIMEOUT_MS,
      isolation: settings.DB_TX_ISOLATION,
      retries: settings.DB_TX_RETRIES,
    }),
    readiness: { name: 'postgres', check: () => probe.check() },
    async close() {
      await Promise.all([pool.end(), probe.close()]);
    },
  };
}
