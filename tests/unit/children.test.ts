import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { describe, it } from 'node:test';
import { createChildren } from '../../lib/adapters/children.js';
import { lines, running } from '../helpers/processes.js';

type Ended = [code: number | null, signal: NodeJS.Signals | null];

/** How a child ended, once its output is closed. */
const ended = (child: ChildProcess): Promise<Ended> =>
  new Promise((resolve) => {
    child.once('close', (code, sig) => {
      resolve([code, sig]);
    });
  });

/**
 * A shell script started through the registry; its stdout read line by line. The scripts ignore SIGTERM
 * (`trap ""`: what they start inherits it) or leave it as it is — no handler a fork could lose.
 */
function start(children: ReturnType<typeof createChildren>, script: string, signal?: AbortSignal) {
  const child = children.spawn('sh', ['-c', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    ...(signal === undefined ? {} : { signal }),
  });
  child.on('error', () => undefined); // an aborted signal reports an AbortError: expected here
  const pid = child.pid ?? 0;
  assert.ok(pid > 0, 'the child started');
  return { child, pid, out: lines(child), closed: ended(child) };
}

describe('the child-process registry (real processes)', () => {
  it('a child that ends on SIGTERM within the grace period is waited for, not killed', async () => {
    const children = createChildren();
    // Node, not a shell: a shell's trap can be lost by a child it is forking as the signal comes.
    const child = children.spawn(
      process.execPath,
      [
        '-e',
        `process.on('SIGTERM', () => { console.log('cleaned up'); setTimeout(() => process.exit(0), 300); });
         console.log('ready'); setInterval(() => undefined, 60_000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const pid = child.pid ?? 0;
    const out = lines(child);
    const closed = ended(child);
    assert.equal(await out.line(0), 'ready'); // its handler is set
    const stopped = await children.settle(5_000);
    assert.deepEqual(stopped, { waited: 1, killed: 0, graceMs: 5_000 });
    assert.deepEqual(await closed, [0, null], 'it exited by itself, from its handler');
    assert.deepEqual(out.all, ['ready', 'cleaned up']);
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
    assert.equal(children.running(), 0);
  });

  it('a child that ignores SIGTERM is SIGKILLed after the grace period, with what it started', async () => {
    const children = createChildren();
    const { pid, out, closed } = start(children, 'trap "" TERM; sleep 30 & echo $!; wait');
    const grandchild = Number(await out.line(0)); // its own child: ignores SIGTERM too (inherited)
    assert.ok(running(grandchild));
    const stopped = await children.settle(500);
    assert.deepEqual(stopped, { waited: 0, killed: 1, graceMs: 500 });
    assert.deepEqual(await closed, [null, 'SIGKILL']);
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the child is gone');
    assert.equal(running(grandchild), false, 'so is the process it started');
    assert.equal(children.running(), 0);
  });

  it('a spawn whose signal aborts sends SIGTERM to the whole group, not only to the child', async () => {
    const children = createChildren();
    const abort = new AbortController();
    // Node's own spawn would SIGTERM the shell only, and its `sleep` would be left running.
    const { out, closed } = start(children, 'sleep 30 & echo $!; wait', abort.signal);
    const grandchild = Number(await out.line(0));
    abort.abort();
    const stopped = await children.settle(5_000); // SIGTERM was sent already: it is not sent again
    assert.equal(stopped.killed, 0, 'nothing was left to kill');
    assert.deepEqual(await closed, [null, 'SIGTERM']);
    assert.equal(running(grandchild), false);
  });

  it('nothing running: settles at once with nothing to report', async () => {
    const children = createChildren();
    const { closed } = start(children, 'exit 0');
    await closed;
    assert.deepEqual(await children.settle(5_000), { waited: 0, killed: 0, graceMs: 5_000 });
  });

  it('a child started after settling is killed at once; killAll kills what runs', async () => {
    const settled = createChildren();
    await settled.settle(100);
    const late = start(settled, 'trap "" TERM; exec sleep 30');
    assert.deepEqual(await late.closed, [null, 'SIGKILL']);

    const children = createChildren();
    const { out, closed } = start(children, 'trap "" TERM; echo ready; exec sleep 30');
    assert.equal(await out.line(0), 'ready');
    children.killAll();
    assert.deepEqual(await closed, [null, 'SIGKILL']);
  });
});
