import { LAST_DEPLOY_FILE, parseDeployRecord } from './deploy-evidence.js';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { composeProjectName, platformProject } from '../compose/project.js';
import { renderStack } from '../compose/render.js';
import { readStackSources, textSetting, yamlOf, type StackSources } from '../compose/sources.js';
import { basicAuth } from '../endpoints/credentials.js';
import { parseReleasesFile } from '../helm/releases-file.js';
import { parseTopicsFile } from '../kafka/topics-file.js';
import type { TaskContext } from '../model/context.js';
import { readPackageFile } from '../model/package-files.js';
import { dashboardSources } from './dashboard-evidence.js';
import { composeImages, environmentOf } from './environment.js';
import { judgeAll } from './judge.js';
import { platformUrl } from './platform-evidence.js';
import { observe, type PlatformUrls, type ValidationInput } from './probes.js';
import { deployedServices } from './service-files.js';
import { REPORT_SCHEMA_VERSION, countStatuses, renderMarkdown, timelineFrom, type Report } from './report.js';
import type { Retentions } from './retention-evidence.js';
import { failed, within } from './within.js';

const TOPICS = join('k8s', 'redpanda', 'topics.yaml');
const WORKFLOW = join('.github', 'workflows', 'ci.yml');

/** Where this machine reaches each part of the platform: the setting, else the Compose port, else nowhere. */
export function platformUrls(ctx: TaskContext): PlatformUrls {
  const c = ctx.config;
  const at = (given: string | undefined, port: number) =>
    platformUrl(given, ctx.target, `http://127.0.0.1:${port}`);
  const traces = at(c.tempoUrl, 3200);
  return {
    demo: at(c.demoUrl, 3001),
    prometheus: at(c.prometheusUrl, 9090),
    loki: at(c.lokiUrl, 3100),
    traces: traces === null ? null : { url: traces, api: c.tracesApi },
    console: at(c.consoleUrl, 8080),
    grafana: at(c.grafanaUrl, 3000),
  };
}

/** Retention each component's values promise (k8s/observability/values). Pure. */
export function promisedRetention(src: StackSources): Retentions {
  const loki = src.values.loki;
  return {
    metrics: renderStack(src).env.PROMETHEUS_RETENTION ?? '',
    logs: textSetting(loki, yamlOf(loki), 'loki.limits_config.retention_period'),
    traces: textSetting(src.values.tempo, yamlOf(src.values.tempo), 'tempo.retention'),
  };
}

/** Versions for the report: the caller's, the tools as 0-1 probes them, the cluster's, the pins of the package. */
async function environment(ctx: TaskContext): Promise<Record<string, string>> {
  const read = (path: string) => readPackageFile(ctx, path).catch(() => '');
  const releases = join('k8s', 'observability', 'releases.yaml');
  const releasesText = await read(releases);
  const kube =
    ctx.target === 'compose' ? null : await within(10_000, 'the Kubernetes API', () => ctx.kube.version());
  return environmentOf({
    base: {
      ...ctx.validation.environment(),
      ...(kube === null ? {} : { kubernetes: failed(kube) ? `unreachable (${kube.failed})` : String(kube) }),
    },
    tools: await ctx.tools.probe().catch(() => []),
    releases: releasesText === '' ? [] : parseReleasesFile(releasesText, releases),
    images: composeImages(await read(join('compose', 'docker-compose.infra.yml'))),
  });
}

async function composeProject(ctx: TaskContext): Promise<ValidationInput['composeProject']> {
  if (ctx.target !== 'compose') return null;
  const name = await composeProjectName(ctx);
  const p = await platformProject(ctx, { stopOnly: true }).catch(() => null);
  return name === null || p === null || 'missingSecrets' in p ? null : { name, project: p.project };
}

/** A report id from its time: 20261126T013000Z. */
export const reportId = (at: Date): string =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/**
 * Task 0-13's work: every other task's check, the probes, the Phase 0 report judged criterion by
 * criterion — written (Markdown and JSON, `latest` beside) also when criteria fail.
 */
export async function validatePlatform(ctx: TaskContext): Promise<{ report: Report; where: string }> {
  const v = ctx.validation;
  const started = new Date();
  ctx.log.info('checking every other task (read only)…');
  const tasks = await v.checkTasks(ctx.signal);
  // Cancelled (Ctrl+C, SIGTERM): no report. What was cut short would read as FAILs of the platform.
  ctx.signal.throwIfAborted();
  ctx.log.info('probing the platform…');
  const runs = v.store.runs();
  const sources = await readStackSources((path) => readPackageFile(ctx, path));
  const grafanaPassword = (await ctx.secrets.values()).GRAFANA_ADMIN_PASSWORD;
  const { observations, hops } = await observe(
    { ...ctx, bus: v.bus, secrets: v.secrets, http: v.http },
    {
      target: ctx.target,
      config: ctx.config,
      workspace: ctx.platform.workspace,
      request: v.request,
      tasks,
      runs,
      urls: platformUrls(ctx),
      expected: {
        retention: promisedRetention(sources),
        topics: parseTopicsFile(await readPackageFile(ctx, TOPICS), TOPICS),
        dashboards: dashboardSources(sources.dashboards),
      },
      grafanaAuth: grafanaPassword === undefined ? null : basicAuth('admin', grafanaPassword),
      composeProject: await composeProject(ctx),
      ciRun: v.store.testRun(),
      ciWorkflow: await ctx.files.read(WORKFLOW),
      services: await deployedServices(ctx.files, join(ctx.platform.packageRoot, 'examples', 'demo-service')),
      lastDeploy: parseDeployRecord(await ctx.files.read(LAST_DEPLOY_FILE)),
      sleep: (ms) => sleep(ms, undefined, { signal: ctx.signal }),
    },
  );
  ctx.signal.throwIfAborted();
  const { findings, verdict } = judgeAll(observations);
  // The timeline: the last `foundation all` of this target (an older record without its command: the
  // last run of every task).
  const lastAll = [...runs]
    .reverse()
    .find(
      (r) =>
        r.target === ctx.target &&
        (r.command === 'all' ||
          (r.command === undefined && r.mode === 'run' && r.tasks.length === tasks.length + 1)),
    );
  const report: Report = {
    v: REPORT_SCHEMA_VERSION,
    generatedAt: started.toISOString(),
    target: ctx.target,
    verdict,
    options: {
      skipPerf: v.request.skipPerf,
      restartBroker: v.request.restartBroker,
      restartCluster: v.request.restartCluster,
    },
    counts: countStatuses(findings),
    findings,
    endToEnd: hops,
    tasks: tasks.map((r) => ({ id: r.id, outcome: r.outcome, ...(r.reason ? { reason: r.reason } : {}) })),
    timeline: lastAll ? { runId: lastAll.runId, tasks: timelineFrom(v.store.events(lastAll.runId)) } : null,
    environment: await environment(ctx),
  };
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const where = v.store.write(reportId(started), renderMarkdown(report), json, v.request.out);
  return { report, where };
}
