// `npm run bench -- runner`: the executor on a synthetic 13-node graph shaped like Phase 0, with known task
// durations, recorded to a real run store; and how fast `foundation list` starts next to `node -e 0`
// (tests/perf/start-up.ts, goal listVsNodeRatio <= 3); the redactor's cost per output line (tests/perf/redact.ts).
// Prints {"name":"runner",...} as the last line.
import { NO_KIT } from '../../lib/generator/kit.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRunTelemetry } from '../../lib/adapters/telemetry.js';
import type { App } from '../../lib/commands/app.js';
import { runGraph } from '../../lib/commands/run-graph.js';
import { select } from '../../lib/graph/plan.js';
import { defineTask, type Task } from '../../lib/model/task.js';
import { Redactor } from '../../lib/redact.js';
import { CONFIG } from '../helpers/fixtures.js';
import { testApp } from '../helpers/test-app.js';
import { measureRedaction } from './redact.js';
import { measureStartUp, median } from './start-up.js';

/** Phase 0's shape: id → [apply ms, deps]. */
const SHAPE: Record<string, [number, string[]]> = {
  '0-1': [100, []],
  '0-2': [300, ['0-1']],
  '0-3': [250, ['0-2']],
  '0-4': [400, ['0-2']],
  '0-5': [200, ['0-4']],
  '0-6': [200, ['0-4']],
  '0-7': [150, ['0-1']],
  '0-8': [50, ['0-1']],
  '0-9': [50, ['0-2']],
  '0-10': [200, ['0-3', '0-9']],
  '0-11': [30, ['0-1']],
  '0-12': [30, ['0-11']],
  '0-13': [150, ['0-3', '0-5', '0-6', '0-10']],
};

/** Longest path through the graph by duration: the best any scheduler can do. Pure. */
export function criticalPathMs(shape: Record<string, [number, string[]]>): number {
  const memo = new Map<string, number>();
  const finish = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const [ms, deps] = shape[id] ?? [0, []];
    const value = ms + Math.max(0, ...deps.map(finish));
    memo.set(id, value);
    return value;
  };
  return Math.max(...Object.keys(shape).map(finish));
}

function graph(): Task[] {
  return Object.entries(SHAPE).map(([id, [ms, deps]]) => {
    let done = false;
    return defineTask({
      id,
      title: `synthetic ${id}`,
      deps,
      hint: '-',
      check: () => Promise.resolve(done ? { status: 'ok' } : { status: 'missing', reason: 'not yet' }),
      apply: async () => {
        await sleep(ms);
        done = true;
      },
    });
  });
}

// The runner's real observer (spans are no-ops without an OTLP endpoint; the JSON log and metrics are real).
const telemetry = createRunTelemetry({ config: CONFIG, secretValues: [], version: 'bench' });

function app(tasks: Task[], workspace: string): App {
  return testApp(workspace, tasks, [], {
    redactor: new Redactor(['a-secret-for-the-redactor-to-scan-for']),
    stdout: () => undefined,
    liveView: () => Promise.reject(new Error('no TTY in a benchmark')),
    observe: (runDir) => Promise.resolve(telemetry.observe(runDir)),
    generator: {
      template: () => ({ version: '0', files: [], kit: NO_KIT }),
      inspect: () => ({
        target: 'absent',
        ancestor: { path: '/tmp', isDir: true },
        writable: true,
        mount: undefined,
        longestName: 0,
        pathBytes: 0,
      }),
      writeNew: () => undefined,
    },
  });
}

/** Turns of `foundation list` and `node -e 0` for the start-up figures. */
const START_UP_PAIRS = 15;

export async function benchRunner(): Promise<Record<string, number | string>> {
  const workspace = mkdtempSync(join(tmpdir(), 'bench-runner-'));
  try {
    const tasks = graph();
    const a = app(tasks, workspace);
    const selection = select(tasks, null, false);
    let t = performance.now();
    const first = await runGraph(a, { mode: 'run', command: 'all', selection });
    const wallMs = performance.now() - t;
    if (first.code !== 0) throw new Error(`synthetic run failed: exit ${first.code}`);
    const reruns: number[] = [];
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      const again = await runGraph(a, { mode: 'run', command: 'all', selection });
      reruns.push(performance.now() - t);
      if (again.summary.tasks.some((r) => r.outcome !== 'ok')) throw new Error('re-run was not all ok');
    }
    const startUp = measureStartUp(workspace, START_UP_PAIRS);
    const redaction = measureRedaction();
    const criticalPath = criticalPathMs(SHAPE);
    const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
    return {
      name: 'runner',
      wallMs: round(wallMs),
      criticalPathMs: criticalPath,
      ratio: round(wallMs / criticalPath, 3),
      noopRerunMs: round(median(reruns)),
      // A fresh process each time; since the compile cache, "cold" means a new process, not an empty cache.
      listColdStartMs: round(startUp.listMs),
      listUncachedMs: round(startUp.listUncachedMs),
      nodeStartMs: round(startUp.nodeMs),
      listVsNodeRatio: round(startUp.listMs / startUp.nodeMs, 2),
      redactUsPerLine: round(redaction.redactUsPerLine, 2),
      redactEllipsisUsPerLine: round(redaction.redactEllipsisUsPerLine, 2),
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}
