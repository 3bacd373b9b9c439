// REQ-0.4/AC5 "a fresh clone recreates it": `foundation all` records the checkout it starts from
// (summary.json), and validate looks for one that started from a fresh clone and converged.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runGraph } from '../../lib/commands/run-graph.js';
import { select } from '../../lib/graph/plan.js';
import { defineTask } from '../../lib/model/task.js';
import type { Checkout, RunSummary } from '../../lib/report/summary.js';
import { freshCloneObservations } from '../../lib/validate/clone-evidence.js';
import type { WorkTree } from '../../lib/ports/dev.js';
import { fakeGit } from '../helpers/fake-ports.js';
import { fakeContext } from '../helpers/fixtures.js';
import { testApp } from '../helpers/test-app.js';

const FRESH: Checkout = { head: 'abc1234', uncommitted: 0, envExisted: false, firstRun: true };
const run = (runId: string, hour: number, exitCode: number, checkout?: Checkout): RunSummary =>
  ({
    v: 1,
    runId,
    mode: 'run',
    command: 'all',
    target: 'k3d',
    startedAt: `2026-11-29T${String(hour).padStart(2, '0')}:00:00.000Z`,
    durationMs: 60_000,
    exitCode,
    counts: {},
    // exit 4 from a task that failed; 0-13 may fail too (a FAIL in its report) without the build failing
    tasks: [
      { id: '0-4', title: '0-4', outcome: exitCode === 0 ? 'changed' : 'failed', durationMs: 1, applies: 1 },
      { id: '0-13', title: '0-13', outcome: 'failed', durationMs: 1, applies: 1 },
    ],
    runDir: `.foundation/runs/${runId}`,
    ...(checkout ? { checkout } : {}),
  }) as RunSummary;
const ac5 = (runs: RunSummary[]) => freshCloneObservations(runs)['REQ-0.4/AC5'];

describe('REQ-0.4/AC5: a fresh clone recreates it', () => {
  it('a converged all from a fresh clone holds, naming the run and commit', () => {
    const o = ac5([run('r1', 9, 0, FRESH)]);
    assert.ok(o?.kind === 'fact' && o.holds);
    assert.equal(
      o.detail,
      'run r1 started from a fresh clone (commit abc1234, nothing uncommitted, no .env) and built the platform: every task but 0-13 converged',
    );
  });

  it('its first run stopped: a later all converging on the same commit, nothing changed, holds; another commit does not', () => {
    const same = ac5([
      run('r1', 9, 4, FRESH),
      run('r2', 10, 0, { ...FRESH, envExisted: true, firstRun: false }),
    ]);
    assert.ok(
      same?.kind === 'fact' &&
        same.holds &&
        /stopped \(exit 4\); run r2 then built it on the same commit/.test(same.detail),
    );
    const moved = ac5([
      run('r1', 9, 4, FRESH),
      run('r2', 10, 0, { ...FRESH, head: 'def5678', firstRun: false }),
    ]);
    assert.ok(
      moved?.kind === 'fact' &&
        !moved.holds &&
        /no later foundation all built the platform on that commit/.test(moved.detail),
    );
    const edited = ac5([
      run('r1', 9, 4, FRESH),
      run('r2', 10, 0, { ...FRESH, uncommitted: 2, firstRun: false }),
    ]);
    assert.ok(edited?.kind === 'fact' && !edited.holds);
  });

  it('no run from a fresh clone: not measured, saying how to get one', () => {
    for (const checkout of [
      undefined,
      { ...FRESH, uncommitted: 1 },
      { ...FRESH, envExisted: true },
      { ...FRESH, firstRun: false },
      { ...FRESH, head: null },
    ]) {
      const o = ac5([run('r1', 9, 0, checkout)]);
      assert.ok(
        o?.kind === 'absent' && /clone the repository into a new folder/.test(o.reason),
        JSON.stringify(checkout),
      );
    }
  });

  it('foundation all records its checkout; run <ids> does not; git failing leaves it out and the run goes on', async () => {
    let seenInRun: Checkout | undefined;
    const recorded = async (command: 'all' | 'run', workTree: WorkTree | null | 'throws', env = false) => {
      const task = defineTask({
        id: '0-13',
        title: 'reads the run so far, as 0-13 does',
        deps: [],
        hint: '-',
        check: (ctx) => {
          seenInRun = ctx.validation.store.runs().at(-1)?.checkout;
          return Promise.resolve({ status: 'ok' });
        },
        apply: () => Promise.resolve(),
      });
      const git = fakeGit(workTree === 'throws' ? {} : { workTree });
      if (workTree === 'throws') git.uncommitted = () => Promise.reject(new Error('exit 128'));
      const app = testApp(mkdtempSync(join(tmpdir(), 'checkout-')), [task], [], {
        makeContext: (signal, log) =>
          fakeContext({ signal, log, git, fileMap: new Map(env ? [['.env', 'A=1\n']] : []) }),
      });
      const { summary } = await runGraph(app, {
        mode: 'run',
        command,
        selection: select([task], null, false),
      });
      return summary;
    };
    const all = await recorded('all', { head: 'abc1234', paths: [], untracked: [] });
    assert.deepEqual(all.checkout, FRESH);
    assert.deepEqual(seenInRun, FRESH, 'a task of the run (0-13) sees it in the run so far');
    assert.deepEqual(
      (await recorded('all', { head: 'abc1234', paths: ['x'], untracked: [] }, true)).checkout,
      {
        head: 'abc1234',
        uncommitted: 1,
        envExisted: true,
        firstRun: true,
      },
    );
    assert.equal((await recorded('run', { head: 'abc1234', paths: [], untracked: [] })).checkout, undefined);
    const failing = await recorded('all', 'throws');
    assert.equal(failing.checkout, undefined);
    assert.equal(failing.exitCode, 0);
    assert.equal((await recorded('all', null)).checkout, undefined, 'not a repository');
  });
});
