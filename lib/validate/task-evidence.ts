import { createdCluster } from '../k8s/cluster-change.js';
import type { TaskResult } from '../model/outcome.js';
import type { Target } from '../model/task.js';
import type { RunSummary } from '../report/summary.js';
import type { Observation, Observations } from './judge.js';

const CONVERGED = new Set(['ok', 'skipped']);
const state = (tasks: readonly TaskResult[], id: string) => tasks.find((t) => t.id === id);
const said = (t: TaskResult | undefined) =>
  t === undefined ? 'not in this run' : `${t.outcome}${t.reason ? ` (${t.reason})` : ''}`;

function taskFact(tasks: readonly TaskResult[], id: string, detail: string, how: string): Observation {
  const t = state(tasks, id);
  const ok = t !== undefined && t.outcome === 'ok';
  return {
    kind: 'fact',
    holds: ok,
    detail: ok ? detail : `task ${id}: ${said(t)}`,
    how,
    fix: `foundation run ${id}`,
  };
}

/** What the tasks' read-only checks (a `plan` made just before) show. Pure. */
export function taskObservations(tasks: readonly TaskResult[], target: Target): Observations {
  const drifting = tasks.filter((t) => !CONVERGED.has(t.outcome));
  const stack = target === 'compose' ? ['0-7'] : ['0-4', '0-5', '0-6'];
  const stackOk = stack.every((id) => state(tasks, id)?.outcome === 'ok');
  return {
    'REQ-0.4/M2': {
      kind: 'value',
      value: drifting.length,
      unit: 'tasks',
      how: 'foundation plan (every task’s read-only check)',
      fix: `foundation plan, then foundation all${drifting.length > 0 ? ` (${drifting.map((t) => t.id).join(', ')})` : ''}`,
    },
    'REQ-0.7/AC2': taskFact(
      tasks,
      '0-1',
      'task 0-1 confirms every tool at its minimum version, .env and the git hooks',
      'task 0-1 check',
    ),
    'REQ-0.6/AC1': taskFact(
      tasks,
      '0-9',
      target === 'compose'
        ? '.env is the one place (git-ignored); Compose reads it'
        : '.env is git-ignored and services/app-secrets holds exactly its secrets',
      'task 0-9 check',
    ),
    'REQ-0.3/AC2': {
      kind: 'fact',
      holds: stackOk,
      detail: stackOk
        ? `the dashboards of k8s/observability/dashboards are provisioned (tasks ${stack.join(', ')} converged)`
        : `tasks ${stack.map((id) => `${id} ${said(state(tasks, id))}`).join('; ')}`,
      how: `tasks ${stack.join(', ')} check`,
      fix: `foundation run ${stack.join(' ')}`,
    },
  };
}

/**
 * The runs `foundation all` made, oldest first. A summary written before the command was recorded counts
 * when it ran as many tasks as the largest run did (what `all` runs); `run <ids>` and `plan` never count.
 */
export const allRuns = (runs: readonly RunSummary[]): RunSummary[] => {
  const legacy = runs.filter((r) => r.command === undefined && r.mode === 'run');
  const most = Math.max(0, ...runs.map((r) => r.tasks.length));
  return runs.filter(
    (r) => r.command === 'all' || (legacy.includes(r) && r.tasks.length === most && most > 1),
  );
};

/** The task that judges the others: its own outcome says whether the proof passed, not the platform. */
export const VALIDATE_TASK = '0-13';
const RAN_OK = new Set(['ok', 'changed', 'skipped']);

/** Every task of the run but validation converged: the platform was built. Pure. */
export const platformConverged = (r: RunSummary): boolean =>
  r.tasks.every((t) => t.id === VALIDATE_TASK || RAN_OK.has(t.outcome));

/**
 * A run that built the platform from scratch: its 0-2 created the cluster (k3d), or 0-7 brought the
 * Compose stack up, or (a shared cluster, or records from before 0-2 said what it did) at least half of
 * its tasks that ran changed something. Failed, blocked and cancelled tasks count as nothing built: a
 * first run with Docker stopped does not start the clock days before the build. Pure.
 */
export function fromScratch(r: RunSummary): boolean {
  const task = (id: string) => r.tasks.find((t) => t.id === id);
  if (createdCluster(task('0-2')?.changes)) return true;
  if (r.target === 'compose' && task('0-7')?.outcome === 'changed') return true;
  const judged = r.tasks.filter((t) => t.id !== VALIDATE_TASK && t.outcome !== 'skipped');
  return judged.filter((t) => t.outcome === 'changed').length * 2 >= judged.length && judged.length > 0;
}

/** When the run's work ended: its end, less 0-13's own measuring (load, restarts) when it ran. Pure. */
const builtBy = (r: RunSummary): number =>
  Date.parse(r.startedAt) + r.durationMs - (r.tasks.find((t) => t.id === VALIDATE_TASK)?.durationMs ?? 0);

/** What the run store (.foundation/runs) recorded: creation time, incremental runs, one command. Pure. */
export function runObservations(runs: readonly RunSummary[]): Observations {
  const all = allRuns(runs);
  const how = 'the run store: .foundation/runs/*/summary.json';
  if (all.length === 0) {
    const none: Observation = {
      kind: 'absent',
      reason: 'no `foundation all` run is recorded in this workspace',
    };
    return {
      'REQ-0.4/AC1': none,
      'REQ-0.7/AC3': none,
      'REQ-0.4/M1': none,
      'REQ-0.7/AC1': none,
      'REQ-0.4/AC3': none,
    };
  }
  const last = all[all.length - 1] as RunSummary;
  // The build's span starts with the first run that built the platform from scratch (fromScratch): a
  // run that found it in place (built before this workspace's record), or changed a few tasks, times none.
  const first = all.find(fromScratch);
  const converged = all.find(
    (r) =>
      first !== undefined && Date.parse(r.startedAt) >= Date.parse(first.startedAt) && platformConverged(r),
  );
  const oneCommand: Observation = {
    kind: 'fact',
    holds: platformConverged(last),
    detail: `the last foundation all (${last.runId}) ${platformConverged(last) ? 'converged every task' : 'left tasks unconverged'} (exit ${last.exitCode}): ${Object.entries(
      last.counts,
    )
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}`,
    how,
    fix: `see .foundation/runs/${last.runId}/; foundation all`,
  };
  const out: Record<string, Observation> = { 'REQ-0.4/AC1': oneCommand, 'REQ-0.7/AC3': oneCommand };
  if (first === undefined && all.some(platformConverged)) {
    const none: Observation = {
      kind: 'absent',
      reason: `no recorded foundation all built the platform from scratch (created the cluster or the Compose stack, or changed half of its tasks): ${all.length === 1 ? 'the one run' : `all ${all.length} runs`} found it mostly in place`,
    };
    out['REQ-0.4/M1'] = none;
    out['REQ-0.7/AC1'] = none;
    out['REQ-0.4/AC3'] = none;
  } else if (first === undefined || converged === undefined) {
    const never: Observation = {
      kind: 'error',
      reason: 'no foundation all run has converged yet',
      fix: 'foundation all',
    };
    out['REQ-0.4/M1'] = never;
    out['REQ-0.7/AC1'] = never;
    out['REQ-0.4/AC3'] = { kind: 'absent', reason: 'no foundation all run has converged yet' };
  } else {
    const ms = builtBy(converged) - Date.parse(first.startedAt);
    const span = `first foundation all from scratch started (${first.runId}) → first converged run's tasks ended, validation not counted (${converged.runId})`;
    out['REQ-0.4/M1'] = { kind: 'value', value: ms, unit: 'ms', how: `${how}: ${span}` };
    out['REQ-0.7/AC1'] = {
      kind: 'value',
      value: ms,
      unit: 'ms',
      how: `${how}: ${span}; downloads before the first run are not counted`,
    };
    const later = all.filter(
      (r) => Date.parse(r.startedAt) > Date.parse(converged.startedAt) && platformConverged(r),
    );
    const incremental = later.find((r) => r.tasks.some((t) => t.outcome === 'ok'));
    out['REQ-0.4/AC3'] =
      incremental === undefined
        ? { kind: 'absent', reason: 'no foundation all ran after the first converged one' }
        : {
            kind: 'fact',
            holds: true,
            detail: `run ${incremental.runId} applied ${incremental.counts.changed ?? 0} of ${incremental.tasks.length} tasks and left ${incremental.counts.ok ?? 0} untouched`,
            how,
          };
  }
  return out;
}
