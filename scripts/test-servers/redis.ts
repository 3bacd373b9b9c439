// Redis 7 for the integration tests (issue 18's service kit): Debian's redis-server, unpacked by
// scripts/test-servers/install-kit, on 127.0.0.1 with a password made for this server (requirepass: the
// default user needs AUTH), no persistence. The password is in a config file only we read, never on a
// command line (which any local user can see).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { BIN } from './paths.js';
import type { ServerDef } from './servers.js';

export const REDIS_SERVER = join(BIN, 'redis-server');
export const REDIS_CLI = join(BIN, 'redis-cli');

function password(dir: string): string {
  const file = join(dir, 'password');
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** A command in RESP, the protocol's array of bulk strings. */
const resp = (args: readonly string[]): string =>
  `*${String(args.length)}\r\n${args.map((a) => `$${String(Buffer.byteLength(a))}\r\n${a}\r\n`).join('')}`;

/** AUTH then PING on one real connection: true when both answer +OK and +PONG. */
export function authPing(port: number, pass: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let got = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => {
      done(false);
    });
    socket.on('error', () => {
      done(false);
    });
    socket.on('data', (d: Buffer) => {
      got += d.toString('utf8');
      if (got.split('\r\n').length > 2) done(got === '+OK\r\n+PONG\r\n');
    });
    socket.write(resp(['AUTH', pass]) + resp(['PING']));
  });
}

export const redis: ServerDef = {
  name: 'redis',
  portNames: ['redis'],
  requires: [REDIS_SERVER, REDIS_CLI],
  overrides: ['REDIS_URL'],
  readyTimeoutMs: 15_000,
  prepare(p) {
    chmodSync(p.dir, 0o700);
    const conf = [
      `port ${String(p.ports.redis)}`,
      'bind 127.0.0.1',
      'protected-mode yes',
      'save ""',
      'appendonly no',
      `dir ${p.dir}`,
      'daemonize no',
      `requirepass ${password(p.dir)}`,
      '',
    ];
    writeFileSync(join(p.dir, 'redis.conf'), conf.join('\n'), { mode: 0o600 });
  },
  command: (p) => ({ cmd: REDIS_SERVER, args: [join(p.dir, 'redis.conf')] }),
  ready: (p) => authPing(p.ports.redis ?? 0, password(p.dir)),
  env: (p) => ({
    REDIS_URL: `redis://default:${encodeURIComponent(password(p.dir))}@127.0.0.1:${String(p.ports.redis)}`,
    REDIS_CLI,
  }),
};
