import { composeProjectName } from '../compose/project.js';
import { execute } from '../graph/execute.js';
import { select, validateGraph } from '../graph/plan.js';
import { join } from 'node:path';
import { parseReleasesFile } from '../helm/releases-file.js';
import { parseTopicsFile } from '../kafka/topics-file.js';
import type { TaskContext, TaskLogger } from '../model/context.js';
import { readPackageFile } from '../model/package-files.js';
import { composeImages, environmentOf } from '../validate/environment.js';
import type { RunEvent } from '../report/events.js';
import { EXIT, type ExitCode } from '../report/exit-codes.js';
import type { RunSummary } from '../report/summary.js';
import { judgeAll, type Verdict } from '../validate/judge.js';
import { observe, type ValidationPorts } from '../validate/probes.js';
import {
  REPORT_SCHEMA_VERSION,
  countStatuses,
  renderMarkdown,
  timelineFrom,
  type Report,
} from '../validate/report.js';
import type { App } from './app.js';

export interface ValidateOptions {
  readonly out?: string;
  readonly skipPerf: boolean;
}

/** What validate needs beyond the App: the probes' adapters, the run store, the report store. */
export interface ValidateDeps {
  readonly ports: (
    signal: AbortSignal,
    log: TaskLogger,
  ) => Omit<ValidationPorts, 'kube' | 'kafka' | 'docker' | 'git' | 'generator'>;
  readonly runs: () => RunSummary[];
  readonly events: (runId: string) => RunEvent[];
  readonly write: (id: string, md: string, json: string, out?: string) => string;
  readonly environment: () => Record<string, string>;
  /** What the sources promise (read from Foundation's files). */
  readonly expected: () => Promise<{ metricsRetention: string }>;
}

/** Versions for the report: the base from the caller, the tools as 0-1 probes them, the pins of the package. */
async function environment(ctx: TaskContext, base: Record<string, string>): Promise<Record<string, string>> {
  const read = (path: string) => readPackageFile(ctx, path).catch(() => '');
  const releases = join('k8s', 'observability', 'releases.yaml');
  const releasesText = await read(releases);
  return environmentOf({
    base,
    tools: await ctx.tools.probe().catch(() => []),
    releases: releasesText === '' ? [] : parseReleasesFile(releasesText, releases),
    images: composeImages(await read(join('compose', 'docker-compose.infra.yml'))),
  });
}

const TOPICS = join('k8s', 'redpanda', 'topics.yaml');
const quiet: TaskLogger = { info: () => undefined, warn: () => undefined, debug: () => undefined };
export const VERDICT_EXIT: Readonly<Record<Verdict, ExitCode>> = {
  PASS: EXIT.ok,
  INCOMPLETE: EXIT.drift,
  FAIL: EXIT.taskFailed,
};

/**
 * `foundation validate`: every task's read-only check, then the probes, then the Phase 0 report judged
 * criterion by criterion — written also when criteria fail. Exit 0 PASS, 3 INCOMPLETE (something could
 * not be measured), 4 FAIL.
 */
export async function validateCommand(app: App, deps: ValidateDeps, o: ValidateOptions): Promise<ExitCode> {
  const tasks = validateGraph(app.tasks);
  const started = new Date();
  const say = (line: string) => {
    if (app.output !== 'json') app.stdout(`${line}\n`);
  };
  say(`foundation validate: target ${app.config.target}${o.skipPerf ? ', --skip-perf' : ''}`);
  say('  checking every task (read only)…');
  const results = await execute({
    mode: 'plan',
    selection: select(tasks, null, false),
    target: app.config.target,
    concurrency: app.config.concurrency,
    signal: app.signal,
    emit: () => undefined,
    contextFor: (task, signal) => app.makeContext(task, signal, quiet),
  });
  say('  probing the platform…');
  const ctx = app.makeContext(tasks[0] as (typeof tasks)[number], app.signal, quiet);
  const runs = deps.runs();
  const observations = await observe(
    {
      kube: ctx.kube,
      kafka: ctx.kafka,
      docker: ctx.docker,
      git: ctx.git,
      generator: ctx.generator,
      ...deps.ports(app.signal, quiet),
    },
    {
      target: app.config.target,
      config: app.config,
      workspace: app.workspace,
      tasks: results,
      runs,
      skipPerf: o.skipPerf,
      expected: {
        ...(await deps.expected()),
        topics: parseTopicsFile(await readPackageFile(ctx, TOPICS), TOPICS),
      },
      composeProject: app.config.target === 'compose' ? await composeProjectName(ctx) : null,
    },
  );
  const { findings, verdict } = judgeAll(observations);
  const lastAll = [...runs].reverse().find((r) => r.mode === 'run' && r.tasks.length === tasks.length);
  const report: Report = app.redactor.redactDeep({
    v: REPORT_SCHEMA_VERSION,
    generatedAt: started.toISOString(),
    target: app.config.target,
    verdict,
    counts: countStatuses(findings),
    findings,
    tasks: results.map((r) => ({ id: r.id, outcome: r.outcome, ...(r.reason ? { reason: r.reason } : {}) })),
    timeline: lastAll ? { runId: lastAll.runId, tasks: timelineFrom(deps.events(lastAll.runId)) } : null,
    environment: await environment(ctx, deps.environment()),
  });
  const id = started
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const where = deps.write(id, renderMarkdown(report), json, o.out);
  if (app.output === 'json') app.stdout(json);
  else {
    const c = report.counts;
    say(`\nVerdict: ${verdict} — ${c.PASS} PASS, ${c.FAIL} FAIL, ${c['NOT MEASURED']} NOT MEASURED`);
    for (const f of findings.filter((x) => x.status === 'FAIL'))
      say(`  ✖ ${f.id} ${f.text}: ${f.evidence}${f.fix ? `\n      fix: ${f.fix}` : ''}`);
    say(`Report: ${where}/phase0-report.md (and .json)`);
  }
  return VERDICT_EXIT[verdict];
}
