// Start, stop and inspect the test servers. State lives in one directory per test run (or per developer):
// <dir>/<name>/{state.json, ports.json, server.log, data/, configs}. Starting is idempotent and locked, so
// test files running in parallel share one server; ports are kept so a restart comes back on the same ones.
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';
import { lastLines } from './log-tail.js';
import { SERVERS, type LaunchOptions, type ServerDef, type ServerPaths } from './servers.js';

export { freePort };

export interface ServerState {
  readonly name: string;
  readonly pid: number;
  readonly ports: Record<string, number>;
  readonly env: Record<string, string>;
  readonly log: string;
  readonly startedAt: string;
  readonly readyMs: number;
}

export class ServerUnavailable extends Error {}

export function definition(name: string): ServerDef {
  const def = SERVERS[name];
  if (def === undefined)
    throw new ServerUnavailable(`unknown server "${name}" (${Object.keys(SERVERS).join(', ')})`);
  return def;
}

/** Why a server cannot start here (not installed), or null. */
export function missing(def: ServerDef): string | null {
  const absent = def.requires.filter((path) => !existsSync(path));
  return absent.length === 0
    ? null
    : `${def.name} is not installed (${absent.join(', ')}): run scripts/test-servers/install`;
}

/** Is a process with this pid still there? */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** A lock file holding the owner's pid; a lock whose owner is gone is taken over. */
async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      closeSync(openSync(path, 'wx'));
      writeFileSync(path, String(process.pid));
      break;
    } catch {
      const owner = Number(readFileSync(path, 'utf8') || '0');
      if (owner > 0 && !alive(owner)) rmSync(path, { force: true });
      else if (i > 1_200) throw new ServerUnavailable(`timed out waiting for the lock ${path}`);
      else await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}

/** The running server's state, or null (a stale state file is removed). */
export function running(root: string, name: string): ServerState | null {
  const state = readJson(join(root, name, 'state.json')) as ServerState | null;
  if (state === null) return null;
  if (alive(state.pid)) return state;
  rmSync(join(root, name, 'state.json'), { force: true });
  return null;
}

const tail = (path: string): string => lastLines(path, 30).join('\n');

async function launch(def: ServerDef, root: string, options: LaunchOptions): Promise<ServerState> {
  const dir = join(root, def.name);
  mkdirSync(dir, { recursive: true });
  const saved = readJson(join(dir, 'ports.json')) as Record<string, number> | null;
  const ports: Record<string, number> = {};
  for (const p of def.portNames) ports[p] = saved?.[p] ?? (await freePort());
  writeFileSync(join(dir, 'ports.json'), JSON.stringify(ports));
  const paths: ServerPaths = { dir, ports };
  try {
    def.prepare(paths);
  } catch (error) {
    def.cleanup?.(paths);
    throw new ServerUnavailable(`${def.name} cannot be prepared: ${(error as Error).message}`);
  }
  const log = join(dir, 'server.log');
  const fd = openSync(log, 'a');
  const { cmd, args } = def.command(paths, options);
  const started = performance.now();
  const child = spawn(cmd, args, { cwd: dir, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  const pid = child.pid ?? 0;
  writeFileSync(join(dir, 'pid'), String(pid)); // so an interrupted run can stop a server still starting
  const status: { exited: number | null } = { exited: null };
  child.once('exit', (code) => (status.exited = code ?? -1));
  while (performance.now() - started < def.readyTimeoutMs) {
    if (status.exited !== null) {
      def.cleanup?.(paths);
      throw new ServerUnavailable(
        `${def.name} exited (${String(status.exited)}) while starting:\n${tail(log)}`,
      );
    }
    if (await def.ready(paths)) {
      const state: ServerState = {
        name: def.name,
        pid,
        ports,
        env: def.env(paths),
        log,
        startedAt: new Date().toISOString(),
        readyMs: Math.round(performance.now() - started),
      };
      writeFileSync(join(dir, 'state.json'), JSON.stringify(state, null, 2));
      return state;
    }
    await sleep(200);
  }
  killGroup(pid, 'SIGKILL');
  def.cleanup?.(paths);
  throw new ServerUnavailable(`${def.name} was not ready within ${def.readyTimeoutMs} ms:\n${tail(log)}`);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Start the server unless it runs already; returns its state. Throws ServerUnavailable with the reason.
 * `options` apply to a start: one running already is returned as it is (benchmarks use roots of their own).
 */
export async function ensureStarted(
  root: string,
  name: string,
  options: LaunchOptions = {},
): Promise<ServerState> {
  const def = definition(name);
  const why = missing(def);
  if (why !== null) throw new ServerUnavailable(why);
  mkdirSync(root, { recursive: true });
  return withLock(join(root, `${name}.lock`), async () => {
    const ours = running(root, name);
    if (ours !== null) return ours;
    return launch(def, root, options);
  });
}

/** Undo a stopped server's set-up outside its directory (its saved ports name what it used). */
function cleanup(dir: string, name: string): void {
  const def = SERVERS[name];
  if (def?.cleanup === undefined || !existsSync(join(dir, name))) return;
  const ports = (readJson(join(dir, name, 'ports.json')) as Record<string, number> | null) ?? {};
  def.cleanup({ dir: join(dir, name), ports });
}

/** Stop it (SIGTERM, then SIGKILL after the grace period); its data directory stays for a restart. */
export async function stop(root: string, name: string, graceMs = 15_000): Promise<boolean> {
  const state = running(root, name);
  if (state === null) return false;
  killGroup(state.pid, 'SIGTERM');
  const until = performance.now() + graceMs;
  while (alive(state.pid) && performance.now() < until) await sleep(100);
  if (alive(state.pid)) killGroup(state.pid, 'SIGKILL');
  rmSync(join(root, name, 'state.json'), { force: true });
  cleanup(root, name);
  return true;
}

/**
 * A root of its own inside a run's root, for a test that must stop and start a server without disturbing
 * the shared one. stopAll / killAllSync of the run's root reach it too.
 */
export function nestedRoot(root: string, name: string): string {
  const dir = join(root, 'nested', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function withNested(root: string): string[] {
  const nested = join(root, 'nested');
  return [root, ...(existsSync(nested) ? readdirSync(nested).map((d) => join(nested, d)) : [])];
}

/**
 * Stop every server of a root and of its nested roots, all at once (each is its own process group, and a
 * broker's or an engine's graceful stop takes seconds: eight servers, two of them brokers, took 12–16 s one
 * after another and 4–10 s at once, 2026-11-28). The names of those that were running, in a fixed order.
 */
export async function stopAll(root: string): Promise<string[]> {
  const all = withNested(root).flatMap((dir) => Object.keys(SERVERS).map((name) => ({ dir, name })));
  const ran = await Promise.all(all.map(({ dir, name }) => stop(dir, name)));
  return all.filter((_, i) => ran[i]).map(({ name }) => name);
}

/** Synchronous last resort for process exit handlers: SIGKILL every server of this root. */
export function killAllSync(root: string): void {
  for (const dir of withNested(root)) {
    for (const name of Object.keys(SERVERS)) {
      const pid = Number(readJson(join(dir, name, 'pid')) ?? 0);
      if (pid > 0 && alive(pid)) {
        killGroup(pid, 'SIGKILL');
        cleanup(dir, name);
      }
    }
  }
}
