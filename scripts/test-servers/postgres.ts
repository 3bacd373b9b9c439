// PostgreSQL 17 for the integration tests (issue 18's service kit): the embedded-postgres-binaries bundle
// from Maven Central (scripts/test-servers/install-kit), a cluster initdb'd into the server's directory,
// password authentication with SCRAM-SHA-256 and a password made for this server, on 127.0.0.1 only.
//
// PostgreSQL refuses to run as root. As root, initdb and postgres run in a user namespace of their own
// (`unshare --user --map-user=65534`): inside it they are uid 65534, outside still root, so the cache under
// /root stays readable and the files they write are root's — no other account and no chown needed.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { POSTGRES_HOME, POSTGRES_VERSION } from './paths.js';
import { pgQuery, type PgTarget } from './pg-wire.js';
import type { ServerDef, ServerPaths } from './servers.js';

const USER = 'foundation';
const DATABASE = 'foundation';
const bin = (name: string): string => join(POSTGRES_HOME, 'bin', name);
const asRoot = (): boolean => process.getuid?.() === 0;

/** The command line, run as an unprivileged user when we are root. */
export function unprivileged(cmd: string, args: string[]): { cmd: string; args: string[] } {
  return asRoot()
    ? { cmd: 'unshare', args: ['--user', '--map-user=65534', '--map-group=65534', cmd, ...args] }
    : { cmd, args };
}

function run(cmd: string, args: string[], input?: string): void {
  const c = unprivileged(cmd, args);
  const r = spawnSync(c.cmd, c.args, { encoding: 'utf8', input, stdio: 'pipe' });
  if (r.status !== 0) {
    const out = `${r.stderr}${r.stdout}`.trim().split('\n').slice(-5).join('\n');
    throw new Error(
      `${cmd.split('/').at(-1) ?? cmd} failed (${String(r.status)}): ${out || String(r.error)}`,
    );
  }
}

/** This server's password, made once (kept with its data across restarts), readable by us only. */
function password(dir: string): string {
  const file = join(dir, 'password');
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

const target = (p: ServerPaths): PgTarget => ({
  host: '127.0.0.1',
  port: p.ports.pg ?? 0,
  user: USER,
  password: password(p.dir),
  database: DATABASE,
});

function initCluster(dir: string): void {
  const data = join(dir, 'data');
  if (existsSync(join(data, 'PG_VERSION'))) return; // made before: keep the data
  if (asRoot() && spawnSync('unshare', ['--user', '--map-user=65534', 'true']).status !== 0)
    throw new Error(
      'PostgreSQL refuses root and this machine allows no user namespace: run the tests as a user',
    );
  rmSync(data, { recursive: true, force: true });
  const pwfile = join(dir, 'password');
  run(
    bin('initdb'),
    ['-D', data, '-U', USER, '--auth=scram-sha-256', `--pwfile=${pwfile}`].concat([
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]),
  );
  run(bin('postgres'), ['--single', '-D', data, 'postgres'], `CREATE DATABASE ${DATABASE};\n`);
}

export const postgres: ServerDef = {
  name: 'postgres',
  portNames: ['pg'],
  requires: [bin('postgres'), bin('initdb')],
  overrides: ['DATABASE_URL'],
  readyTimeoutMs: 30_000,
  prepare(p) {
    chmodSync(p.dir, 0o700); // the password, the pgpass file and state.json stay ours
    const t = target(p);
    writeFileSync(join(p.dir, 'pgpass'), `${t.host}:${String(t.port)}:*:${USER}:${t.password}\n`, {
      mode: 0o600,
    });
    initCluster(p.dir);
  },
  command(p) {
    // A Unix socket beside the data when its path fits (107 bytes at most), otherwise TCP only.
    const sockets = join(p.dir, `.s.PGSQL.${String(p.ports.pg)}`).length < 100 ? p.dir : '';
    const settings = {
      listen_addresses: '127.0.0.1',
      port: String(p.ports.pg),
      unix_socket_directories: sockets,
      // Test data: durability traded for speed.
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
    };
    const args = Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
    return unprivileged(bin('postgres'), ['-D', join(p.dir, 'data'), ...args]);
  },
  async ready(p) {
    try {
      return (await pgQuery(target(p), 'select 1', 1_000)).rows[0]?.[0] === '1';
    } catch {
      return false;
    }
  },
  env(p) {
    const t = target(p);
    return {
      DATABASE_URL: `postgres://${USER}:${encodeURIComponent(t.password)}@${t.host}:${String(t.port)}/${DATABASE}`,
      PGHOST: t.host,
      PGPORT: String(t.port),
      PGUSER: USER,
      PGDATABASE: DATABASE,
      PGPASSFILE: join(p.dir, 'pgpass'),
      POSTGRES_VERSION,
    };
  },
};
