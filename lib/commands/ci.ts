import { seconds } from '../report/summary.js';
import { formatTable } from '../ui/table.js';
import { jsonLine } from '../report/json-line.js';
import { join } from 'node:path';
import { FoundationError } from '../errors.js';
import { jobOrder, localSkip, parseWorkflow, type CiJob } from '../ci/workflow.js';
import type { ScriptRunner } from '../ports/ci.js';
import { EXIT, type ExitCode } from '../report/exit-codes.js';
import type { App } from './app.js';

export const WORKFLOW = join('.github', 'workflows', 'ci.yml');

export interface CiStepResult {
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'skipped' | 'not run';
  readonly ms: number;
  readonly reason?: string;
}

export interface CiJobResult {
  readonly id: string;
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'not run';
  readonly ms: number;
  readonly steps: readonly CiStepResult[];
}

/** Which jobs: the ones asked for (by id), or all; an unknown id is a usage error naming the known ones. */
function selected(jobs: readonly CiJob[], asked: readonly string[], path: string): CiJob[] {
  const unknown = asked.filter((id) => !jobs.some((j) => j.id === id));
  if (unknown.length > 0)
    throw new FoundationError(
      'E_USAGE',
      `no job ${unknown.join(', ')} in ${path}`,
      `foundation ci --job <id> with one of: ${jobs.map((j) => j.id).join(', ')}`,
    );
  return asked.length === 0 ? [...jobs] : jobs.filter((j) => asked.includes(j.id));
}

/**
 * `foundation ci`: the workflow's own `run:` steps, job by job in dependency order, in the workspace — the
 * same commands GitHub runs, not a copy. Steps that are actions (checkout, caches, Docker's) are GitHub's
 * and are listed as skipped. Stops at the first failing step. Exit 0, or 4 when a step failed.
 */
export async function ciCommand(
  app: App,
  deps: { read(path: string): string | null; runner: ScriptRunner; say(text: string): void },
  o: { jobs: readonly string[] },
): Promise<ExitCode> {
  const path = WORKFLOW;
  const source = deps.read(path);
  if (source === null)
    throw new FoundationError(
      'E_CONFIG_INVALID',
      `${path} does not exist in ${app.workspace}`,
      'foundation run 0-8',
    );
  const jobs = selected(jobOrder(parseWorkflow(source, path), path), o.jobs, path);
  const results: CiJobResult[] = [];
  let failed = false;
  const started = performance.now();
  for (const job of jobs) {
    deps.say(`▶ ${job.id}: ${job.name}\n`);
    const steps: CiStepResult[] = [];
    const jobStart = performance.now();
    for (const step of job.steps) {
      const skip = localSkip(step);
      if (failed) steps.push({ name: step.name, status: 'not run', ms: 0, reason: 'an earlier step failed' });
      else if (skip !== null || step.kind !== 'run') {
        steps.push({ name: step.name, status: 'skipped', ms: 0, reason: skip ?? 'not a script' });
        deps.say(`  – ${step.name}: skipped (${skip ?? 'not a script'})\n`);
      } else {
        deps.say(`  $ ${step.run.trim().split('\n').join('\n    ')}\n`);
        const cwd =
          step.workingDirectory === undefined ? app.workspace : join(app.workspace, step.workingDirectory);
        const r = await deps.runner.run(step.run, {
          cwd,
          signal: app.signal,
          ...(step.env === undefined ? {} : { env: step.env }),
        });
        const ok = r.exitCode === 0;
        failed ||= !ok;
        steps.push({
          name: step.name,
          status: ok ? 'passed' : 'failed',
          ms: r.ms,
          ...(ok ? {} : { reason: `exit ${String(r.exitCode)}` }),
        });
        deps.say(
          `  ${ok ? '✔' : '✖'} ${step.name} — ${seconds(r.ms)}${ok ? '' : ` (exit ${String(r.exitCode)})`}\n`,
        );
      }
    }
    const ran = steps.some((s) => s.status === 'passed' || s.status === 'failed');
    const status = steps.some((s) => s.status === 'failed') ? 'failed' : ran ? 'passed' : 'not run';
    results.push({ id: job.id, name: job.name, status, ms: performance.now() - jobStart, steps });
  }
  const total = performance.now() - started;
  if (app.output === 'json')
    app.stdout(jsonLine('ci', { workflow: path, totalMs: Math.round(total), jobs: results }));
  else {
    const table = formatTable(
      [['job', 'status', 'time'], ...results.map((r) => [r.id, r.status, seconds(r.ms)])],
      {
        right: [2],
      },
    );
    deps.say(`\n${table.join('\n')}\n`);
    deps.say(`total ${seconds(total)} (one after another; GitHub runs independent jobs in parallel)\n`);
  }
  return failed ? EXIT.taskFailed : EXIT.ok;
}
