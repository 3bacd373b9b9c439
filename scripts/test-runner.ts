// The README's test command (`npm test`): runs every compiled test file with node:test, shows the spec
// reporter, and ends with the plain line `N passed, N failed, N skipped`. A file that registers no tests
// is a failure, not a pass; under CI=true so is every skip (named with its reason). `npm test -- unit` (or tasks, cli, integration) runs one tier.
import { spawnSync } from 'node:child_process';
import { globSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';
import { killAllSync, stopAll } from './test-servers/manager.js';
import { recordRun } from './test-record.js';
import { parseShard, pickShard } from './test-shard.js';
import {
  closing,
  newTally,
  onEnqueue,
  onFail,
  onPass,
  runningFiles,
  type QueueEventData,
  type TestEventData,
} from './test-tally.js';
import { truthy } from '../lib/config/flags.js';
import { PROCESS_ENV } from '../lib/config/process-env.js';
import { VARIABLES } from '../lib/config/variables.js';
import { SERVERS } from './test-servers/servers.js';
import { TEST_GIT_CONFIG, hermeticEnv } from './test-env.js';

const TIERS = ['unit', 'tasks', 'cli', 'integration'] as const;
// FOUNDATION_TEST_ROOT: another tree of compiled tests (the runner's own tests run it on fixtures).
const root = process.env.FOUNDATION_TEST_ROOT ?? resolve(fileURLToPath(import.meta.url), '..', '..', 'tests');
const asked = process.argv.slice(2);
const unknown = asked.filter((t) => !(TIERS as readonly string[]).includes(t));
if (unknown.length > 0) {
  process.stderr.write(`unknown test tier(s): ${unknown.join(', ')}; tiers: ${TIERS.join(', ')}\n`);
  process.exit(2);
}
const tiers = asked.length > 0 ? asked : TIERS;
// Test files at once. Most wait on servers, builds and child processes rather than on the CPU.
const CONCURRENCY = Number(process.env.FOUNDATION_TEST_CONCURRENCY ?? '3');
// The whole run's limit: past it the files still running are named and the run fails, so a hung file
// ends the run with its name instead of running into the CI job's own limit (90 min) without a word.
const LIMIT_MIN = Number(process.env.FOUNDATION_TEST_RUN_LIMIT_MIN ?? '80');
for (const [name, ok, want] of [
  ['FOUNDATION_TEST_CONCURRENCY', Number.isInteger(CONCURRENCY) && CONCURRENCY >= 1, 'a whole number >= 1'],
  ['FOUNDATION_TEST_RUN_LIMIT_MIN', Number.isFinite(LIMIT_MIN) && LIMIT_MIN > 0, 'minutes, more than 0'],
] as const) {
  if (!ok) {
    process.stderr.write(`${name} must be ${want}\n0 passed, 1 failed\n`);
    process.exit(2);
  }
}
const all = tiers.flatMap((tier) => globSync(join(root, tier, '**', '*.test.js'))).sort();
// CI can split the files across jobs: FOUNDATION_TEST_SHARD=2/3 runs the second of three balanced parts.
const shard = process.env.FOUNDATION_TEST_SHARD ? parseShard(process.env.FOUNDATION_TEST_SHARD) : null;
if (shard !== null && 'error' in shard) {
  process.stderr.write(`${shard.error}\n0 passed, 1 failed\n`);
  process.exit(2);
}
const files = shard === null ? all : pickShard(all, shard);
if (files.length === 0) {
  process.stderr.write(
    `no test files under ${root} for ${tiers.join(', ')} (did the build run?)\n0 passed, 1 failed\n`,
  );
  process.exit(1);
}

// The test tools (scripts/test-servers/install, cached under ~/.cache/foundation), once the arguments are
// known to be right: a typo is said before minutes of installing on a new machine. Not for another tree of
// tests (the runner's own tests run it on fixtures).
if (process.env.FOUNDATION_TEST_ROOT === undefined) {
  const script = resolve(
    fileURLToPath(import.meta.url),
    '..',
    '..',
    '..',
    'scripts',
    'test-servers',
    'install',
  );
  const install = spawnSync(script, [], { stdio: 'inherit' });
  if (install.status !== 0) {
    process.stderr.write(`installing the test tools failed (see above): ${script}\n0 passed, 1 failed\n`);
    process.exit(install.status ?? 1);
  }
}

// One state directory for the run: each server a test asks for starts once and is shared by every file.
const servers = mkdtempSync(join(tmpdir(), 'foundation-servers-'));
process.env.FOUNDATION_TEST_SERVERS_DIR = servers;
// Stopping early (Ctrl+C, SIGTERM, the run's time limit): cancel the test processes first (so none starts
// a server afterwards), then stop the servers and end with the closing line.
const cancel = new AbortController();
function stopEarly(why: string, line: string, code: number): void {
  if (cancel.signal.aborted) return;
  cancel.abort();
  setTimeout(() => {
    killAllSync(servers);
    process.stdout.write(`\n${why}\ntest servers stopped\n${line}\n`);
    process.exit(code);
  }, 1_500);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopEarly('interrupted', '0 passed, 1 failed', 130);
  });
}

// Hermetic test processes: a clean HOME and git config, none of the developer's Foundation, git, Helm,
// Kubernetes or Docker settings, and no server of theirs unless FOUNDATION_TEST_USE_EXTERNAL=1.
const home = mkdtempSync(join(tmpdir(), 'foundation-test-home-'));
writeFileSync(join(home, '.gitconfig'), TEST_GIT_CONFIG);
// The tests' temporary files (workspaces, archives, fixtures: ≈ 290 MB a run): removed after a green run.
const scratch = mkdtempSync(join(tmpdir(), 'foundation-tmp-'));
const env = hermeticEnv(process.env, {
  home,
  realHome: homedir(),
  scratch,
  builds: process.env.FOUNDATION_TEST_BUILDS ?? tmpdir(),
  productVariables: [...VARIABLES.map((v) => v.name), ...PROCESS_ENV.map((v) => v.name)],
  serverVariables: Object.values(SERVERS).flatMap((s) => s.overrides),
});
process.once('exit', () => {
  rmSync(home, { recursive: true, force: true });
});

const startedAt = new Date();
const tally = newTally();
const stream = run({
  files,
  concurrency: CONCURRENCY,
  timeout: 10 * 60_000,
  // A file whose tests are done (or timed out) exits even if a client, a timer or a child still holds it
  // open; without this one hung file stalls the whole run until CI kills it. The preload keeps that exit
  // from losing the end of the file's report (test-child-preload.ts); the tally fails a file that still does.
  forceExit: true,
  execArgv: ['--import', new URL('test-child-preload.js', import.meta.url).href],
  signal: cancel.signal,
  env,
});

const running = runningFiles();
stream.on('test:enqueue', (d: QueueEventData) => {
  onEnqueue(tally, d);
});
stream.on('test:dequeue', (d: QueueEventData) => {
  running.onDequeue(d, performance.now());
});
stream.on('test:complete', (d: QueueEventData) => {
  running.onComplete(d, performance.now());
});
setTimeout(() => {
  const names = running.list().map((f) => relative(process.cwd(), f));
  const why = `✖ the run passed its ${String(LIMIT_MIN)}-minute limit (FOUNDATION_TEST_RUN_LIMIT_MIN); still running: ${names.join(', ') || 'none'}`;
  const { passed, failed, skips } = tally;
  stopEarly(
    why,
    `${String(passed)} passed, ${String(failed + 1)} failed, ${String(skips.length)} skipped`,
    1,
  );
}, LIMIT_MIN * 60_000).unref();
stream.on('test:pass', (d: TestEventData) => {
  onPass(tally, d);
});
stream.on('test:fail', (d: TestEventData) => {
  onFail(tally, d);
});
stream.compose(spec).pipe(process.stdout);

await new Promise<void>((done) => stream.on('end', done));
// Stopped early: stopEarly's timer stops the servers and writes the one closing line; none is written here.
if (cancel.signal.aborted) await new Promise<never>(() => undefined);
const stopped = await stopAll(servers);
const end = closing(tally, files, { ci: truthy(process.env.CI), cwd: process.cwd() });
// The servers' data (a broker's segments, etcd, an engine's state) can take gigabytes: a green run removes
// it; a failed run keeps it, logs included, for a look.
if (end.failed === 0) {
  for (const dir of [servers, scratch]) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      process.stdout.write(`could not remove ${dir}: ${String(error)}\n`);
    }
  }
} else process.stdout.write(`the tests' temporary files are kept: ${scratch}\n`);
if (stopped.length > 0)
  process.stdout.write(
    `test servers stopped: ${stopped.join(', ')}${end.failed === 0 ? '' : ` (logs: ${servers})`}\n`,
  );
const slowest = running.slowest(5).map((t) => `${relative(process.cwd(), t.file)} ${t.seconds.toFixed(1)} s`);
if (slowest.length > 0) process.stdout.write(`slowest files: ${slowest.join(', ')}\n`);
for (const note of end.notes) process.stdout.write(`${note}\n`);
process.stdout.write(`\n${end.line}\n`);
process.exitCode = end.failed > 0 ? 1 : 0;
if (asked.length === 0 && shard === null) {
  const error = recordRun({
    cwd: process.cwd(),
    startedAt,
    ciStarted: process.env.FOUNDATION_CI_STARTED,
    ci: truthy(process.env.CI),
    passed: tally.passed,
    failed: end.failed,
    skipped: tally.skips.length,
    files: running.slowest(files.length).map((t) => ({ ...t, file: relative(process.cwd(), t.file) })),
  });
  if (error !== null) process.stderr.write(`could not record the run: ${error}\n`);
}
