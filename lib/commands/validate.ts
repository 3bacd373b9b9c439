import { resolve } from 'node:path';
import { execute } from '../graph/execute.js';
import { select, validateGraph } from '../graph/plan.js';
import type { TaskLogger } from '../model/context.js';
import type { TaskResult } from '../model/outcome.js';
import { EXIT, type ExitCode } from '../report/exit-codes.js';
import { jsonLine } from '../report/json-line.js';
import type { Verdict } from '../validate/judge.js';
import { validatePlatform } from '../validate/run.js';
import { VALIDATE_TASK } from '../validate/task-evidence.js';
import type { App } from './app.js';
import { shownPath } from './user-path.js';

const quiet: TaskLogger = { info: () => undefined, warn: () => undefined, debug: () => undefined };

export const VERDICT_EXIT: Readonly<Record<Verdict, ExitCode>> = {
  PASS: EXIT.ok,
  INCOMPLETE: EXIT.drift,
  FAIL: EXIT.taskFailed,
};

/** Every task but 0-13, checked read only (as `foundation plan`, not recorded as a run): what 0-13 judges. */
export function checkOtherTasks(app: App, signal: AbortSignal): Promise<TaskResult[]> {
  const tasks = validateGraph(app.tasks).filter((t) => t.id !== VALIDATE_TASK);
  return execute({
    mode: 'plan',
    selection: select(tasks, null, false),
    target: app.config.target,
    concurrency: app.config.concurrency,
    signal,
    emit: () => undefined,
    contextFor: (_task, s) => app.makeContext(s, quiet),
  });
}

/**
 * `foundation validate`: task 0-13's apply on its own (no plan, no dependencies converged first), which
 * always writes the report. Exit 0 PASS, 3 INCOMPLETE (something not measured that could have been), 4 FAIL.
 */
export async function validateCommand(app: App): Promise<ExitCode> {
  const task = validateGraph(app.tasks).find((t) => t.id === VALIDATE_TASK);
  if (task === undefined) throw new Error(`task ${VALIDATE_TASK} is not registered (tasks/index.ts)`);
  const say = (line: string) => {
    if (app.output !== 'json') app.stdout(`${line}\n`);
  };
  const log: TaskLogger = {
    info: (m) => {
      say(`  ${m}`);
    },
    warn: (m) => {
      say(`  ! ${m}`);
    },
    debug: () => undefined,
  };
  const ctx = app.makeContext(app.signal, log);
  const r = ctx.validation.request;
  const flags = [
    r.skipPerf && '--skip-perf',
    r.restartBroker && '--restart-broker',
    r.restartCluster && '--restart-cluster',
  ];
  say(
    `foundation validate: target ${app.config.target}${flags
      .filter(Boolean)
      .map((f) => `, ${String(f)}`)
      .join('')}`,
  );
  const { report, where } = await validatePlatform(ctx);
  if (app.output === 'json')
    app.stdout(jsonLine('validate', { report: app.redactor.redactDeep(report), where }));
  else {
    const c = report.counts;
    say(`\nVerdict: ${report.verdict} — ${c.PASS} PASS, ${c.FAIL} FAIL, ${c['NOT MEASURED']} NOT MEASURED`);
    for (const f of report.findings.filter((x) => x.status === 'FAIL'))
      say(`  ✖ ${f.id} ${f.text}: ${f.evidence}${f.fix ? `\n      fix: ${f.fix}` : ''}`);
    say(`Report: ${shownPath(app, resolve(app.workspace, where))}/phase0-report.md (and .json)`);
  }
  return VERDICT_EXIT[report.verdict];
}
