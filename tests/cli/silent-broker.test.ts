// A port that accepts connections and never answers (something else listening where the broker should be):
// the Kafka scripts give up within --timeout, exit 4 with E_KAFKA_UNREACHABLE, and the process ends then —
// before, kafka-topics-create waited about 8 minutes on the client's request time-outs and retries.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../helpers/cli.js';

interface JsonError {
  readonly code?: string;
  readonly message?: string;
}

describe('a broker address that never answers', { timeout: 60_000 }, () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let port = 0;
  before(async () => {
    server = createServer((socket) => sockets.add(socket)); // read nothing, answer nothing
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });

  /** A Kafka script against the silent port with --timeout 2 --json: its exit code and last JSON line. */
  async function silent(script: string, args: string[]): Promise<{ code: number | null; line: JsonError }> {
    const run = spawn(
      process.execPath,
      [
        join(ROOT, 'dist', 'scripts', 'kafka', script),
        ...args,
        '--brokers',
        `127.0.0.1:${port}`,
        '--timeout',
        '2',
        '--json',
      ],
      { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    run.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const code = await new Promise<number | null>((resolve) => run.on('exit', resolve));
    return { code, line: JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as JsonError };
  }

  it('kafka-topics-create --timeout 2: exit 4, E_KAFKA_UNREACHABLE naming the wait, and it ends', async () => {
    const { code, line } = await silent('topics.js', ['--dry-run']);
    assert.equal(code, 4, JSON.stringify(line));
    assert.equal(line.code, 'E_KAFKA_UNREACHABLE');
    assert.match(line.message ?? '', /no answer within 2 s/);
    assert.ok(sockets.size > 0, 'it did connect: the silence is what it met');
  });

  it('kafka-produce-test --timeout 2: the same, from its question before producing (not the producer retrying)', async () => {
    const { code, line } = await silent('produce.js', ['--topic', 'x', '--count', '1']);
    assert.equal(code, 4, JSON.stringify(line));
    assert.equal(line.code, 'E_KAFKA_UNREACHABLE');
    assert.match(line.message ?? '', /no answer from a Kafka API at 127\.0\.0\.1:\d+ within 2 s/);
  });

  it('Ctrl+C while kafka-produce-test asks the broker: E_CANCELLED (exit 130) as a JSON line, not a silent death', async () => {
    const run = spawn(
      process.execPath,
      [
        join(ROOT, 'dist', 'scripts', 'kafka', 'produce.js'),
        ...['--topic', 'x', '--brokers', `127.0.0.1:${port}`, '--timeout', '30', '--json'],
      ],
      { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Once it has connected (and waits for an answer that never comes), interrupt it.
    const connected = () => {
      run.kill('SIGINT');
    };
    server.once('connection', connected);
    let stdout = '';
    run.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const code = await new Promise<number | null>((resolve) => run.on('exit', resolve));
    server.off('connection', connected);
    assert.equal(code, 130, stdout);
    const line = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as JsonError;
    assert.equal(line.code, 'E_CANCELLED');
    assert.match(line.message ?? '', /interrupted \(SIGINT\)/);
  });
});
