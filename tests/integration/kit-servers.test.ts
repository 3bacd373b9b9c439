// The service kit's real servers (issue 18): PostgreSQL 17 and Redis 7, started and stopped through the
// test-servers harness in a root of this file's own (so stopping them disturbs no other test file).
// Postgres is reached with the harness's minimal protocol client (SCRAM-SHA-256, simple query), Redis with
// redis-cli from Debian's redis-tools: real clients, real authentication, real round trips.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  alive,
  definition,
  ensureStarted,
  missing,
  nestedRoot,
  stop,
} from '../../scripts/test-servers/manager.js';
import { PgError, pgQuery, type PgTarget } from '../../scripts/test-servers/pg-wire.js';
import { REDIS_CLI } from '../../scripts/test-servers/redis.js';
import { IN_CI } from '../helpers/tools.js';
import { root as runRoot } from './servers.js';

const whyNot = (name: string): string | false => {
  const why = missing(definition(name));
  if (why !== null && IN_CI) throw new Error(why);
  return why ?? false;
};
const root = nestedRoot(runRoot(), 'kit');

/** Does a TCP connection to 127.0.0.1:port get refused (nothing listens)? */
const refused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      resolve(e.code === 'ECONNREFUSED');
    });
  });

function pgTarget(databaseUrl: string | undefined): PgTarget {
  const url = new URL(databaseUrl ?? 'postgres://missing');
  return {
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
  };
}

async function stopsCleanly(name: string, pid: number, port: number): Promise<void> {
  assert.equal(await stop(root, name), true);
  assert.equal(alive(pid), false, `${name}'s process ${String(pid)} is gone`);
  assert.equal(await refused(port), true, `nothing listens on ${String(port)} any more`);
}

describe('PostgreSQL 17 test server', { skip: whyNot('postgres') }, () => {
  after(() => stop(root, 'postgres'));

  it(
    'answers as PostgreSQL 17 on 127.0.0.1, only with its password (SCRAM)',
    { timeout: 60_000 },
    async () => {
      const state = await ensureStarted(root, 'postgres');
      const t = pgTarget(state.env.DATABASE_URL);
      assert.equal(t.host, '127.0.0.1');
      assert.equal(String(t.port), state.env.PGPORT);

      const version = await pgQuery(t, 'select version()');
      assert.match(version.rows[0]?.[0] ?? '', /^PostgreSQL 17\.\d+ /);
      assert.match(version.params.server_version ?? '', /^17\./);
      const rules = await pgQuery(t, 'select distinct auth_method from pg_hba_file_rules');
      assert.deepEqual(rules.rows, [['scram-sha-256']], 'every connection needs the password');
      await assert.rejects(
        pgQuery({ ...t, password: `${t.password}x` }, 'select 1'),
        (e: unknown) => e instanceof PgError && e.code === '28P01', // invalid_password
      );
      await assert.rejects(
        pgQuery(t, 'select * from no_such_table'),
        (e: unknown) => e instanceof PgError && e.code === '42P01',
      );
      const rows = await pgQuery(
        t,
        "create table if not exists kept (k text primary key, n int); insert into kept values ('a', 1), ('b', 2) on conflict do nothing; select k, n * 10 from kept order by k",
      );
      assert.deepEqual(rows.rows, [
        ['a', '10'],
        ['b', '20'],
      ]);
    },
  );

  it(
    'stops (port closed, process gone) and comes back on the same port with its data',
    { timeout: 60_000 },
    async () => {
      const first = await ensureStarted(root, 'postgres');
      const port = first.ports.pg ?? 0;
      await stopsCleanly('postgres', first.pid, port);
      const second = await ensureStarted(root, 'postgres');
      assert.notEqual(second.pid, first.pid);
      assert.equal(second.ports.pg, port);
      const kept = await pgQuery(pgTarget(second.env.DATABASE_URL), 'select count(*) from kept');
      assert.deepEqual(kept.rows, [['2']]);
      await stopsCleanly('postgres', second.pid, port);
    },
  );
});

describe('Redis 7 test server', { skip: whyNot('redis') }, () => {
  after(() => stop(root, 'redis'));

  it(
    'needs its password, round-trips SET/GET with a TTL that expires, then stops',
    { timeout: 60_000 },
    async () => {
      const state = await ensureStarted(root, 'redis');
      const url = new URL(state.env.REDIS_URL ?? 'redis://missing');
      assert.equal(url.hostname, '127.0.0.1');
      /** redis-cli with the URL's user and the given password (through the environment, not argv). */
      const cli = (password: string | null, ...commands: string[]): string => {
        const env: NodeJS.ProcessEnv = { ...process.env, REDISCLI_AUTH: password ?? undefined };
        const auth = password === null ? [] : ['--user', decodeURIComponent(url.username)];
        const r = spawnSync(REDIS_CLI, ['-h', url.hostname, '-p', url.port, ...auth], {
          encoding: 'utf8',
          env,
          input: `${commands.join('\n')}\n`,
        });
        return `${r.stdout}${r.stderr}`.trim();
      };
      const password = decodeURIComponent(url.password);

      assert.match(cli(null, 'SET kit:k refused'), /^NOAUTH Authentication required/);
      assert.match(cli(`${password}x`, 'GET kit:k'), /WRONGPASS/);
      assert.match(cli(password, 'INFO server'), /^redis_version:7\.\d+\.\d+\r?$/m);
      assert.equal(cli(password, 'GET kit:k'), '', 'the refused SET wrote nothing');
      const [set, value, ttl] = cli(password, 'SET kit:k v1 EX 60', 'GET kit:k', 'TTL kit:k').split('\n');
      assert.deepEqual([set, value], ['OK', 'v1']);
      assert.ok(Number(ttl) > 0 && Number(ttl) <= 60, `TTL ${String(ttl)}`);

      const [setShort, pttl] = cli(password, 'SET kit:short v PX 500', 'PTTL kit:short').split('\n');
      assert.equal(setShort, 'OK');
      assert.ok(Number(pttl) > 0 && Number(pttl) <= 500, `PTTL ${String(pttl)}`);
      const deadline = performance.now() + 10_000;
      while (cli(password, 'EXISTS kit:short') !== '0' && performance.now() < deadline) await sleep(100);
      assert.equal(cli(password, 'EXISTS kit:short'), '0', 'the key expired');
      assert.equal(cli(password, 'GET kit:k'), 'v1', 'the long-lived key is still there');

      await stopsCleanly('redis', state.pid, Number(url.port));
    },
  );
});
