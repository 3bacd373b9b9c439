import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createShell } from '../../lib/adapters/shell.js';
import { execute } from '../../lib/graph/execute.js';
import { select } from '../../lib/graph/plan.js';
import type { TaskResult } from '../../lib/model/outcome.js';
import { defineTask, type Task } from '../../lib/model/task.js';
import { exitCodeFor } from '../../lib/report/summary.js';
import { fakeContext, fixture, silentLog } from '../helpers/fixtures.js';
import { runTasks } from '../helpers/run-tasks.js';

const byId = (results: TaskResult[]) => new Map(results.map((r) => [r.id, r]));

describe('executor', () => {
  it('runs two independent tasks at the same time (each apply waits for the other to start)', async () => {
    // No clock: run one after the other, the first apply would wait for the second forever (and fail at
    // its 10 s guard); run side by side, both get past the meeting point.
    let arrived = 0;
    let meet = (): void => undefined;
    const together = new Promise<void>((resolve) => (meet = resolve));
    const done = new Set<string>();
    const task = (id: string): Task =>
      defineTask({
        id,
        title: id,
        deps: [],
        hint: '-',
        check: () =>
          Promise.resolve(done.has(id) ? { status: 'ok' } : { status: 'missing', reason: 'not yet' }),
        async apply() {
          if (++arrived === 2) meet();
          await Promise.race([
            together,
            sleep(10_000, undefined, { ref: false }).then(() => Promise.reject(new Error(`${id} ran alone`))),
          ]);
          done.add(id);
        },
      });
    const results = await runTasks([task('a'), task('b')]).results;
    assert.deepEqual(
      results.map((r) => [r.id, r.outcome]),
      [
        ['a', 'changed'],
        ['b', 'changed'],
      ],
    );
  });

  it('takes a concurrency slot only once dependencies are done (no deadlock at concurrency 1)', async () => {
    const tasks = [
      fixture('a', [], { applyMs: 20 }),
      fixture('b', ['a']),
      fixture('c', ['b']),
      fixture('d', ['a']),
    ];
    const results = await runTasks(
      tasks.map((t) => t.task),
      { concurrency: 1 },
    ).results;
    assert.ok(results.every((r) => r.outcome === 'changed'));
  });

  it('never has more tasks working than the concurrency limit', async () => {
    let working = 0;
    let peak = 0;
    const busy = (id: string) =>
      defineTask({
        id,
        title: id,
        deps: [],
        hint: '-',
        check: async () => {
          working++;
          peak = Math.max(peak, working);
          await sleep(40);
          working--;
          return { status: 'ok' };
        },
        apply: () => Promise.resolve(),
      });
    await runTasks(['a', 'b', 'c', 'd', 'e'].map(busy), { concurrency: 2 }).results;
    assert.equal(peak, 2);
  });

  it('blocks only the dependents of a failure; independent branches finish', async () => {
    const a = fixture('a', [], { applyThrows: new Error('boom') });
    const b = fixture('b', ['a']);
    const c = fixture('c', ['b']);
    const d = fixture('d');
    const results = byId(await runTasks([a.task, b.task, c.task, d.task]).results);
    assert.equal(results.get('a')?.outcome, 'failed');
    assert.equal(results.get('a')?.error?.code, 'E_TASK_ERROR');
    assert.equal(results.get('a')?.reason, 'boom');
    assert.equal(results.get('b')?.outcome, 'blocked');
    assert.equal(results.get('b')?.rootCause, 'a');
    assert.equal(results.get('c')?.outcome, 'blocked');
    assert.equal(results.get('c')?.rootCause, 'a', 'the root cause is named, not the intermediate task');
    assert.equal(results.get('d')?.outcome, 'changed');
    assert.equal(b.applies + c.applies, 0);
    assert.equal(exitCodeFor('run', [...results.values()]), 4);
  });

  it('fails with E_NOT_CONVERGED when the re-check is still not ok', async () => {
    const a = fixture('a', [], { neverConverges: true });
    const [result] = await runTasks([a.task]).results;
    assert.equal(result?.outcome, 'failed');
    assert.equal(result.error?.code, 'E_NOT_CONVERGED');
    assert.match(result.reason ?? '', /not converged after apply \(missing: a not there\)/);
  });

  it('a second run of a converged graph applies nothing and ends all ok', async () => {
    const tasks = [fixture('a'), fixture('b', ['a']), fixture('c', ['a'])];
    await runTasks(tasks.map((t) => t.task)).results;
    const second = await runTasks(tasks.map((t) => t.task)).results;
    assert.deepEqual(
      second.map((r) => r.outcome),
      ['ok', 'ok', 'ok'],
    );
    assert.deepEqual(
      second.map((r) => r.applies),
      [0, 0, 0],
    );
    assert.deepEqual(
      tasks.map((t) => t.applies),
      [1, 1, 1],
    );
  });

  it('--force applies a converged task again', async () => {
    const a = fixture('a', [], { converged: true });
    const [result] = await runTasks([a.task], { force: new Set(['a']) }).results;
    assert.equal(result?.outcome, 'changed');
    assert.equal(a.applies, 1);
  });

  it('retries a failing apply, then succeeds', async () => {
    let tries = 0;
    let converged = false;
    const flaky = defineTask({
      id: 'flaky',
      title: 'flaky',
      deps: [],
      hint: '-',
      retries: 2,
      check: () => Promise.resolve(converged ? { status: 'ok' } : { status: 'missing', reason: 'x' }),
      apply: () => {
        tries++;
        if (tries < 3) return Promise.reject(new Error(`try ${tries}`));
        converged = true;
        return Promise.resolve();
      },
    });
    const { events, results } = runTasks([flaky]);
    const [result] = await results;
    assert.equal(result?.outcome, 'changed');
    assert.equal(result.applies, 3);
    assert.equal(events.filter((e) => e.type === 'task:retry').length, 2);
  });

  it('fails a task that passes its time limit, with E_TASK_TIMEOUT', async () => {
    const slow = fixture('slow', [], { applyMs: 5_000, extra: { timeoutMs: 100 } });
    const after = fixture('after', ['slow']);
    const results = byId(await runTasks([slow.task, after.task]).results);
    assert.equal(results.get('slow')?.outcome, 'failed');
    assert.equal(results.get('slow')?.error?.code, 'E_TASK_TIMEOUT');
    assert.ok((results.get('slow')?.durationMs ?? 0) < 1_000);
    assert.equal(results.get('after')?.outcome, 'blocked');
  });

  it('plan mode runs checks only; downstream of a change is pending upstream', async () => {
    const a = fixture('a');
    const b = fixture('b', ['a'], { converged: true });
    const c = fixture('c', [], { converged: true });
    const results = byId(await runTasks([a.task, b.task, c.task], { mode: 'plan' }).results);
    assert.equal(results.get('a')?.outcome, 'would-change');
    assert.equal(results.get('a')?.reason, 'missing: a not there');
    assert.equal(results.get('b')?.outcome, 'pending-upstream');
    assert.equal(results.get('c')?.outcome, 'ok');
    assert.equal(a.applies + b.applies + c.applies, 0);
    assert.equal(b.checks, 0, 'a pending task is not checked against a world that is about to change');
    assert.equal(exitCodeFor('plan', [...results.values()]), 3);
  });

  it('a dependency outside the selection that is not converged blocks with the fixing command', async () => {
    const a = fixture('a');
    const b = fixture('b', ['a']);
    const { results } = runTasks([a.task, b.task], { selection: select([a.task, b.task], ['b'], false) });
    const r = byId(await results);
    assert.equal(r.get('a')?.gate, true);
    assert.equal(r.get('a')?.outcome, 'would-change');
    assert.equal(a.applies, 0, 'a gate is never applied');
    assert.equal(r.get('b')?.outcome, 'blocked');
    assert.equal(r.get('b')?.hint, 'run `foundation run a` first, or add --with-deps');
    assert.equal(r.get('b')?.error?.code, 'E_DEPENDENCY_NOT_CONVERGED');
  });

  it('skips tasks that are not part of the target; dependents still run', async () => {
    const a = fixture('a', [], { extra: { targets: ['compose'] } });
    const b = fixture('b', ['a']);
    const r = byId(await runTasks([a.task, b.task]).results);
    assert.equal(r.get('a')?.outcome, 'skipped');
    assert.equal(r.get('b')?.outcome, 'changed');
  });

  it('cancellation reaches a running child process and leaves outcomes cancelled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cancel-'));
    const pidFile = join(dir, 'pid');
    const child = defineTask({
      id: 'child',
      title: 'runs a long child process',
      deps: [],
      hint: '-',
      check: () => Promise.resolve({ status: 'missing', reason: 'x' }),
      async apply(ctx) {
        // A task's commands run through a shell bound to its signal (as the adapters' do).
        const sh = createShell({ cwd: dir, signal: ctx.signal, log: silentLog });
        await sh.run('sh', ['-c', `echo $$ > ${pidFile}; exec sleep 30`]);
      },
    });
    const next = fixture('next', ['child']);
    const controller = new AbortController();
    const started = performance.now();
    const pending = execute({
      mode: 'run',
      selection: select([child, next.task], null, false),
      target: 'k3d',
      concurrency: 2,
      signal: controller.signal,
      emit: () => undefined,
      contextFor: (_t, signal) => fakeContext({ signal }),
    });
    let pid = 0;
    for (let i = 0; i < 100 && pid === 0; i++) {
      await sleep(20);
      try {
        pid = Number(readFileSync(pidFile, 'utf8').trim());
      } catch {
        /* not started yet */
      }
    }
    assert.ok(pid > 0, 'the child process started');
    controller.abort();
    const results = byId(await pending);
    assert.ok(performance.now() - started < 5_000, 'the run ended promptly');
    assert.equal(results.get('child')?.outcome, 'cancelled');
    assert.equal(results.get('next')?.outcome, 'cancelled');
    assert.equal(exitCodeFor('run', [...results.values()]), 130);
    let alive = true;
    for (let i = 0; i < 50 && alive; i++) {
      try {
        process.kill(pid, 0);
        await sleep(20);
      } catch {
        alive = false;
      }
    }
    assert.equal(alive, false, `child process ${pid} was killed`);
  });

  it('emits waiting, phases and one end event per task', async () => {
    const { events, results } = runTasks([fixture('a').task, fixture('b', ['a']).task]);
    await results;
    assert.deepEqual(
      events.map(
        (e) => `${e.type}${'id' in e ? `:${e.id}` : ''}${e.type === 'task:phase' ? `:${e.phase}` : ''}`,
      ),
      [
        'task:waiting:b',
        'task:phase:a:check',
        'task:phase:a:apply',
        'task:phase:a:recheck',
        'task:end:a',
        'task:phase:b:check',
        'task:phase:b:apply',
        'task:phase:b:recheck',
        'task:end:b',
      ],
    );
  });
});
