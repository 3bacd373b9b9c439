// What the postgres part's tests share: a database of their own on the test server (created and dropped
// per file, so files and runs never see each other's tables), the part started with an in-memory log and
// a registry of its own, and waiting for a condition with a deadline.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { z } from 'zod';
import type { Registry } from '@prometheus-io/client';
import { postgresSettings, startPostgres, type Database } from '../../../src/kit/postgres/index.js';
import type { StartedPart } from '../../../src/kit/part.js';
import { createLogger, createRegistry } from '../../../src/telemetry/index.js';
import { jsonLines } from '../../helpers.js';

export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A new, empty database on the server `adminUrl` points at. */
export async function scratchDatabase(adminUrl: string): Promise<ScratchDatabase> {
  const name = `kit_pg_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface Started {
  readonly part: StartedPart<Database>;
  readonly db: Database;
  readonly registry: Registry;
  /** Every log line the part wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** The service name, also the pool's application_name (pg_stat_activity shows it). */
  readonly name: string;
}

/** The part started as a service would start it, settings given as environment strings. */
export async function start(env: Record<string, string>): Promise<Started> {
  const settings = z.object(postgresSettings).parse(env);
  const { logs, destination } = jsonLines();
  const name = `svc-${randomBytes(4).toString('hex')}`;
  const registry = createRegistry({ defaultMetrics: false });
  const logger = createLogger({ name, level: 'debug', destination });
  const part = await startPostgres(settings, { serviceName: name, logger, registry });
  return { part, db: part.handle, registry, logs, name };
}

/** Resolve once `condition` holds; fail with `what` if it does not within `ms`. */
export async function waitFor(what: string, condition: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${String(ms)} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** The value of one sample in the registry's text output, e.g. `db_pool_connections{state="in_use"}`. */
export async function sample(registry: Registry, series: string): Promise<number | undefined> {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
