// The built demo (node dist/src/main.js) when it cannot start: a bad setting stops it with exit code 2 and
// a line per variable, worded for the person setting it; a port in use stops it with exit code 2 and one
// JSON log line like every other (time, service) that says what to do. And when it cannot stop in time.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEMO, buildDemo } from './demo.js';

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run the demo with `env` until it exits (it should not get as far as listening for long). With
 * `signals`, each is sent once it has started ('service started'), 300 ms apart.
 */
function run(env: Record<string, string>, signals: NodeJS.Signals[] = []): Promise<Exit> {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: DEMO,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    const wasStarted = stdout.includes('"service started"');
    stdout += c.toString();
    if (!wasStarted && stdout.includes('"service started"'))
      signals.forEach((signal, i) => setTimeout(() => child.kill(signal), 300 * i));
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('the demo when it cannot start', () => {
  let taken: Server;
  let port = 0;
  before(async () => {
    buildDemo();
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  after(
    () =>
      new Promise<void>((resolve) => {
        taken.close(() => {
          resolve();
        });
      }),
  );

  it('a bad setting: exit 2, each variable named with a reason a person can act on, no value echoed', async () => {
    const exit = await run({ PORT: 'abc', KAFKA_BROKERS: 'localhost', OTEL_TRACES_SAMPLER_ARG: 'lots' });
    assert.equal(exit.code, 2, exit.stderr);
    assert.match(exit.stderr, /^ {2}- PORT: expected a number$/m);
    assert.match(exit.stderr, /^ {2}- KAFKA_BROKERS: expected host:port\[,host:port…\]$/m);
    assert.match(exit.stderr, /^ {2}- OTEL_TRACES_SAMPLER_ARG: expected a number$/m);
    assert.doesNotMatch(exit.stderr, /NaN|undefined|outside 1-65535|abc|lots/);
    assert.match(exit.stderr, /^fix: /m);
  });

  it('a shutdown past SHUTDOWN_TIMEOUT_MS, or a second SIGTERM: exit 1, said in a JSON line, nothing on stderr', async () => {
    // The second SIGTERM comes 300 ms after the first: a 10 s limit leaves it room on a loaded machine.
    const limit = (ms: number) => ({
      PORT: '0',
      SHUTDOWN_DELAY_MS: '20000',
      SHUTDOWN_TIMEOUT_MS: String(ms),
    });
    for (const [timeout, signals, said] of [
      [
        1_000,
        ['SIGTERM'],
        'shutdown did not finish within SHUTDOWN_TIMEOUT_MS: exiting (code 1), requests still in flight are cut',
      ],
      [10_000, ['SIGTERM', 'SIGTERM'], 'second SIGTERM, exiting'],
    ] as const) {
      const exit = await run(limit(timeout), [...signals]);
      assert.equal(exit.code, 1, exit.stdout + exit.stderr);
      assert.equal(exit.stderr, '', 'close-with-grace no longer writes plain text');
      const last = exit.stdout.trim().split('\n').at(-1) ?? '';
      assert.deepEqual(
        {
          msg: (JSON.parse(last) as { msg?: unknown }).msg,
          level: (JSON.parse(last) as { level?: unknown }).level,
        },
        { msg: said, level: 'error' },
      );
    }
  });

  it('a port in use: exit 2 and one JSON line with time, service, the cause and the fix (no stack), even with LOG_LEVEL=silent', async () => {
    for (const level of ['info', 'silent']) {
      const exit = await run({ PORT: String(port), LOG_LEVEL: level });
      assert.equal(exit.code, 2, exit.stderr);
      said(exit, port);
    }
  });
});

/** The start-up failure's log line, checked. */
function said(exit: Exit, port: number): void {
  const lines = exit.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const fatal = lines.find((l) => l.msg === 'failed to start');
  assert.ok(fatal, `no 'failed to start' line in:\n${exit.stdout}${exit.stderr}`);
  assert.equal(fatal.level, 'fatal');
  assert.equal(fatal.service, 'demo-service');
  assert.equal(typeof fatal.time, 'string');
  assert.ok(String(fatal.fix).startsWith(`port ${port} on 127.0.0.1 is in use: `), String(fatal.fix));
  assert.match(String(fatal.error), /EADDRINUSE/);
  assert.equal(fatal.err, undefined, 'no error object, so no stack');
  assert.doesNotMatch(exit.stdout + exit.stderr, /\n\s+at /, 'no stack trace anywhere');
}
