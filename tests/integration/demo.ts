// Builds a copy of examples/demo-service (npm ci when its lock changed, then tsc) and runs it as a real
// process. A copy: task 0-10 installs and tests the demo in the repository itself, possibly at the same
// time (the cluster tests), and two npm ci's in one folder would pull each other's files away.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../scripts/test-servers/free-port.js';
import { withDirLock } from '../helpers/dir-lock.js';
import { ROOT } from '../helpers/cli.js';

const SOURCE = join(ROOT, 'examples', 'demo-service');
/** The copy the tests build and run (one per lockfile, reused by later runs, outside the run's TMPDIR). */
export const DEMO = join(
  process.env.FOUNDATION_TEST_BUILDS ?? tmpdir(),
  `foundation-demo-${createHash('sha256')
    .update(readFileSync(join(SOURCE, 'package-lock.json')))
    .digest('hex')
    .slice(0, 12)}`,
);

export function buildDemo(): void {
  withDirLock(DEMO, build);
}

/** A hash of the demo's sources as they are in the repository (node_modules and dist aside). */
function sourceHash(dir: string, hash = createHash('sha256')): string {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceHash(path, hash);
    else hash.update(`${path}\0`).update(readFileSync(path));
  }
  return dir === SOURCE ? hash.digest('hex') : '';
}

function build(): void {
  // Built already from these very sources: nothing to do. Rebuilding would remove dist/ under a demo
  // another test file is starting from it (its next import would not be found).
  const sources = sourceHash(SOURCE);
  const built = join(DEMO, 'dist', '.foundation-sources');
  if (existsSync(built) && readFileSync(built, 'utf8') === sources) return;
  // The sources are copied afresh (they change between runs); node_modules stays.
  for (const part of ['src', 'test', 'k8s']) rmSync(join(DEMO, part), { recursive: true, force: true });
  cpSync(SOURCE, DEMO, { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
  const stamp = join(DEMO, 'node_modules', '.foundation-stamp');
  const lock = readFileSync(join(DEMO, 'package-lock.json'), 'utf8');
  const npm = (args: string[]) =>
    execFileSync('npm', args, { cwd: DEMO, stdio: ['ignore', 'ignore', 'pipe'] });
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lock) {
    npm(['ci', '--no-audit', '--no-fund', '--loglevel=error']);
    writeFileSync(stamp, lock);
  }
  npm(['run', 'build', '--silent']);
  writeFileSync(built, sources);
}

export { freePort };

export interface RunningDemo {
  readonly url: string;
  readonly logs: Record<string, unknown>[];
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

/**
 * Start the demo and wait until it is ready (or only live, `until: '/livez'`: its broker may be away); with
 * `logFile` its stdout goes to that file (benchmarks) instead of being parsed here.
 */
export async function startDemo(
  env: Record<string, string>,
  logFile?: string,
  until: '/readyz' | '/livez' = '/readyz',
): Promise<RunningDemo> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: DEMO,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', logFile === undefined ? 'pipe' : openSync(logFile, 'a'), 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  // Up to 30 s: loading the OpenTelemetry SDK, Fastify and the Kafka client takes seconds on a busy machine.
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`demo exited ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}${until}`)).ok) return { url, logs, child, exited };
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`demo not ready: ${stderr}`);
}
