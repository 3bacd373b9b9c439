// scripts/test-servers/{start,stop,status}: the test servers by hand.
//   start <name…>   start (or reuse) and print the environment that points tests at them
//   stop [name…]    stop these (none, or all: every one)
//   status          what runs, with pid, ports and log
// State: $FOUNDATION_TEST_SERVERS_DIR, or .foundation/test-servers/ in the repository.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServerUnavailable, ensureStarted, running, stop, stopAll } from './manager.js';
import { SERVERS } from './servers.js';

const repo = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..');
const root = process.env.FOUNDATION_TEST_SERVERS_DIR ?? join(repo, '.foundation', 'test-servers');
const [verb, ...names] = process.argv.slice(2);
const all = Object.keys(SERVERS);

/**
 * `export K=V` for a shell to eval. A server's password (its `password` file: postgres, redis) is never
 * printed: the line reads it from the file instead.
 */
function exportLine(key: string, value: string, dir: string): string {
  const file = join(dir, 'password');
  const secret = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (secret === '' || !value.includes(secret)) return `export ${key}=${value}\n`;
  return `export ${key}="${value.split(secret).join(`$(cat '${file}')`)}"\n`;
}

const USAGE = `usage: scripts/test-servers/{start <name…> | stop [name…] | status}
  start   start (or reuse) the servers named and print the environment that points tests at them
  stop    stop the servers named (none, or all: every one)
  status  what runs, with pid, ports and log
servers: ${all.join(', ')}
`;

/** A mistake in the arguments, or null: an unknown server is named, never ignored. */
function usageError(): string | null {
  if (verb !== undefined && !['start', 'stop', 'status'].includes(verb))
    return `unknown command ${JSON.stringify(verb.slice(0, 40))}: start, stop or status`;
  if (verb === 'status') return names.length > 0 ? `status takes no arguments, got ${names.join(' ')}` : null;
  const unknown = names.filter((n) => !all.includes(n) && !(verb === 'stop' && n === 'all'));
  return unknown.length > 0 ? `unknown server(s) ${unknown.join(', ')} (servers: ${all.join(', ')})` : null;
}

async function main(): Promise<number> {
  if ([verb, ...names].some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const mistake = usageError();
  if (mistake !== null) {
    process.stderr.write(`test-servers: ${mistake}
${USAGE}`);
    return 2;
  }
  switch (verb) {
    case 'start': {
      if (names.length === 0) throw new ServerUnavailable(`start which? ${all.join(', ')}`);
      for (const name of names) {
        const state = await ensureStarted(root, name);
        process.stderr.write(
          `${name}: pid ${String(state.pid)}, ready in ${String(state.readyMs)} ms, log ${state.log}\n`,
        );
        for (const [k, v] of Object.entries(state.env))
          process.stdout.write(exportLine(k, v, join(root, name)));
      }
      return 0;
    }
    case 'stop': {
      const stopped = names.includes('all') || names.length === 0 ? await stopAll(root) : [];
      for (const name of names.filter((n) => n !== 'all')) if (await stop(root, name)) stopped.push(name);
      process.stderr.write(stopped.length > 0 ? `stopped: ${stopped.join(', ')}\n` : 'nothing was running\n');
      return 0;
    }
    case 'status': {
      for (const name of all) {
        const s = running(root, name);
        process.stdout.write(
          s
            ? `${name}: running, pid ${String(s.pid)}, ports ${JSON.stringify(s.ports)}, log ${s.log}\n`
            : `${name}: stopped\n`,
        );
      }
      return 0;
    }
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`test-servers: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof ServerUnavailable ? 2 : 1;
}
