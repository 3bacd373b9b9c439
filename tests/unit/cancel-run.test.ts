// A cancelled run, through runGraph with real child processes started by the real shell adapter: the
// recap comes after every child has ended (or was killed), and nothing is written after it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createChildren } from '../../lib/adapters/children.js';
import { createShell } from '../../lib/adapters/shell.js';
import { runGraph } from '../../lib/commands/run-graph.js';
import { execute } from '../../lib/graph/execute.js';
import { select } from '../../lib/graph/plan.js';
import { defineTask, type Task } from '../../lib/model/task.js';
import type { RunEvent, RunEventBody } from '../../lib/report/events.js';
import { EXIT } from '../../lib/report/exit-codes.js';
import { fakeContext } from '../helpers/fixtures.js';
import { running } from '../helpers/processes.js';
import { testApp } from '../helpers/test-app.js';

describe('a cancelled run (runGraph, real child processes)', () => {
  it('waits for its children or kills them before the recap; nothing is written after the recap', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'cancel-run-'));
    const children = createChildren();
    const controller = new AbortController();
    const writes: string[] = [];
    let recapShown = (): void => undefined;
    const afterRecap = new Promise<void>((resolve) => (recapShown = resolve));
    const applied: Promise<void>[] = [];

    // Each task runs one long command (Node: its handler cannot be lost in a fork, as a shell's trap can),
    // then — once the recap is out — logs and starts another.
    const long = (id: string, onTerm: string): Task =>
      defineTask({
        id,
        title: `runs ${id}`,
        deps: [],
        hint: '-',
        check: () => Promise.resolve({ status: 'missing', reason: 'not yet' }),
        apply(ctx) {
          const work = (async () => {
            const sh = createShell({ cwd: ws, signal: ctx.signal, log: ctx.log, spawn: children.spawn });
            const script = `process.on('SIGTERM', () => { ${onTerm} });
              require('fs').writeFileSync('${id}.pid', String(process.pid));
              console.log('working'); setInterval(() => undefined, 60_000);`;
            await sh.run(process.execPath, ['-e', script]);
            await afterRecap;
            ctx.log.info(`${id}: a line after the recap`);
            await sh.run('sh', ['-c', `echo ${id}: a command after the recap`]);
          })();
          applied.push(work);
          return work;
        },
      });
    const tasks = [
      long(
        'polite',
        `console.log('stopping'); setTimeout(() => { console.log('stopped'); process.exit(0); }, 200);`,
      ),
      long('stubborn', `console.log('ignoring SIGTERM');`),
    ];
    const app = testApp(ws, tasks, writes, {
      signal: controller.signal,
      // A grace period far longer than the polite child needs: it is waited for, never killed by chance.
      children: { settle: () => children.settle(2_000) },
    });

    const run = runGraph(app, { mode: 'run', command: 'all', selection: select(tasks, null, false) });
    const working = (id: string): boolean => writes.includes(`[${id}] | working\n`);
    for (let i = 0; i < 3_000 && !(working('polite') && working('stubborn')); i++) await sleep(20);
    assert.ok(working('polite') && working('stubborn'), writes.join(''));
    const pids = ['polite', 'stubborn'].map((id) => Number(readFileSync(join(ws, `${id}.pid`), 'utf8')));
    controller.abort(); // Ctrl+C

    const { code, summary } = await run;
    recapShown();
    await Promise.all(applied); // the tasks' code went on: logged, started a command

    assert.equal(code, EXIT.cancelled);
    assert.deepEqual(summary.stopped, { waited: 1, killed: 1, graceMs: 2_000 });
    for (const pid of pids) assert.equal(running(pid), false, `process ${pid} is gone`);
    const recap = writes.at(-1) ?? '';
    assert.match(recap, /^\nRecap \(run, target k3d\)/, 'the recap is the last thing written');
    assert.match(recap, /\nStopped 2 child processes: 1 ended on SIGTERM, 1 killed after 2\.0 s\.\n/);
    const shown = writes.join('');
    for (const words of ['[polite] | stopped', '[stubborn] | ignoring SIGTERM']) {
      const at = shown.indexOf(words);
      assert.ok(at >= 0 && at < shown.indexOf('\nRecap'), `${words}: shown, before the recap`);
    }
    assert.doesNotMatch(shown, /after the recap/);
    // Nor are late events recorded: run:end ends events.jsonl.
    const events = readFileSync(join(ws, summary.runDir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RunEvent);
    const last = events.at(-1);
    assert.equal(last?.type, 'run:end');
    assert.deepEqual(last.type === 'run:end' ? last.stopped : null, summary.stopped);
    assert.ok(!events.some((e) => e.type === 'task:output' && e.line.includes('after the recap')));
  });

  it('a check still running when the run is cancelled does not go on to apply', async () => {
    let checking = (): void => undefined;
    const started = new Promise<void>((resolve) => (checking = resolve));
    let answer = (): void => undefined;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    let applies = 0;
    const task = defineTask({
      id: 'slow',
      title: 'a check that does not listen to its signal',
      deps: [],
      hint: '-',
      async check() {
        checking();
        await answered;
        return { status: 'missing', reason: 'not yet' };
      },
      apply() {
        applies += 1;
        return Promise.resolve();
      },
    });
    const controller = new AbortController();
    const events: RunEventBody[] = [];
    const pending = execute({
      mode: 'run',
      selection: select([task], null, false),
      target: 'k3d',
      concurrency: 1,
      signal: controller.signal,
      emit: (e) => events.push(e),
      contextFor: (_t, signal) => fakeContext({ signal }),
    });
    await started;
    controller.abort();
    assert.equal((await pending)[0]?.outcome, 'cancelled');
    answer(); // the check ends after the task did: "missing"
    await new Promise((resolve) => setImmediate(resolve)); // everything it would do next has been done
    assert.equal(applies, 0);
    assert.ok(!events.some((e) => e.type === 'task:phase' && e.phase === 'apply'));
  });
});
