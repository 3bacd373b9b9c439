import { seconds } from '../report/summary.js';
import { jsonLine } from '../report/json-line.js';
import { join } from 'node:path';
import { parseDuration } from '../config/duration.js';
import { FoundationError, toErrorInfo, writeCause } from '../errors.js';
import { validateServiceName } from '../generator/render.js';
import { DEPLOYS_DIR, renderDeploy, serviceCandidates, type DeployRecord } from '../deploy/plan.js';
import { deployService, type DeployTrail } from '../deploy/run.js';
import type { TaskContext } from '../model/context.js';
import { EXIT, type ExitCode } from '../report/exit-codes.js';
import type { App } from './app.js';
import { userPath } from './user-path.js';

/** The service's folder: `--dir` (as typed, and resolved from where the command runs), or looked for by name. */
async function serviceDir(
  ctx: TaskContext,
  name: string,
  dir: { typed: string; path: string } | undefined,
): Promise<string> {
  const candidates = dir === undefined ? serviceCandidates(name, ctx.platform.packageRoot) : [dir.path];
  for (const c of candidates) if (await ctx.files.exists(join(c, 'Dockerfile'))) return c;
  throw new FoundationError(
    'E_USAGE',
    dir === undefined
      ? `no service ${name}: looked for a Dockerfile in ${candidates.join(', ')}`
      : `${dir.typed} has no Dockerfile: it is not a service folder`,
    `generate it with foundation new service ${name}, or point at its folder with --dir <path>`,
  );
}

/**
 * `foundation deploy <service>`: build, load and roll out one service on the configured target, each stage
 * shown as it happens and timed, ending with its health checks. The result is recorded in
 * .foundation/deploys/ (task 0-13 reads the latest for REQ-0.5). Exit 0, or the failing stage's code.
 */
export async function deployCommand(
  app: App,
  name: string,
  o: { dir?: string; timeout: string },
): Promise<ExitCode> {
  validateServiceName(name); // the generator's rule: DNS-1035, and no word YAML reads as a boolean
  const timeoutS =
    parseDuration('--timeout', o.timeout, { bare: 's', minMs: 1_000, maxMs: 3_600_000, example: '5m' }) /
    1_000;
  const say = (text: string): void => {
    if (app.output === 'json') app.stderr(text);
    else app.stdout(text);
  };
  // Docker's progress ends lines with \r: one line each here, as a terminal would show its last state.
  const line = (l: string): void => {
    say(`  │ ${l.replace(/\r+$/, '').replace(/^.*\r/, '')}\n`);
  };
  const ctx = app.makeContext(app.signal, { info: line, warn: line, debug: () => undefined });
  // Compose builds a service from the build context its Compose file names: a folder given here would
  // be shown and recorded, but not what ran.
  if (o.dir !== undefined && app.config.target === 'compose')
    throw new FoundationError(
      'E_USAGE',
      `--dir does not apply on target compose: ${name} is built from the build context in the Compose file`,
      `change ${name}'s build: context in compose/docker-compose.yml (or the file FOUNDATION_COMPOSE_FILE names), then foundation deploy ${name}`,
    );
  const asked = o.dir === undefined ? undefined : { typed: o.dir, path: userPath(app, o.dir) };
  const dir = await serviceDir(ctx, name, asked);
  const lock = await holdDeploy(ctx, name, app.stderr);
  try {
    return await deployHeld(app, ctx, { name, dir, timeoutS }, say, line);
  } finally {
    await lock?.release().catch(() => undefined);
  }
}

/**
 * One deploy of a service at a time: two would build the same tag and race their rollouts and records.
 * No lock can be taken (a read-only .foundation): said, and the deploy goes on.
 */
async function holdDeploy(
  ctx: TaskContext,
  name: string,
  warn: (text: string) => void,
): Promise<{ release(): Promise<void> } | null> {
  const file = join(DEPLOYS_DIR, `${name}.lock`);
  const held = await ctx.files.lock(file).catch((e: unknown) => {
    warn(
      `foundation: warning: ${file} cannot be made (${writeCause(e)}): another deploy of ${name} would not be noticed\n`,
    );
    return null;
  });
  if (held !== null && 'heldBy' in held)
    throw new FoundationError(
      'E_USAGE',
      `another deploy of ${name} is running (process ${held.heldBy}): two at once would race their builds and rollouts`,
      `wait for it to end, then deploy again (a stale ${file} whose process has ended is taken over by itself)`,
    );
  return held;
}

async function deployHeld(
  app: App,
  ctx: TaskContext,
  svc: { name: string; dir: string; timeoutS: number },
  say: (text: string) => void,
  line: (l: string) => void,
): Promise<ExitCode> {
  const { name, dir, timeoutS } = svc;
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const trail: DeployTrail = { image: null, stages: [], health: [] };
  let error: unknown = null;
  say(`deploying ${name} from ${dir} to ${app.config.target}\n`);
  try {
    await deployService(ctx, { name, dir }, { timeoutMs: timeoutS * 1000 }, trail, {
      start: (stage, what) => {
        say(`▶ ${stage}: ${what}\n`);
      },
      done: (s) => {
        say(`✔ ${s.name} ${seconds(s.ms)} — ${s.detail}\n`);
      },
      note: line,
    });
  } catch (e) {
    error = e;
  }
  const record: DeployRecord = app.redactor.redactDeep({
    v: 1,
    service: name,
    target: app.config.target,
    dir,
    image: trail.image,
    startedAt,
    totalMs: Math.round(performance.now() - started),
    ok: error === null,
    stages: trail.stages,
    ...(trail.failed === undefined ? {} : { failedStage: trail.failed }),
    health: trail.health,
    ...(error === null ? {} : { error: toErrorInfo(error) }),
  });
  // A command refused before any stage ran (a setting missing, a name Compose does not have) deployed
  // nothing: it replaces no record (validate reads the latest). A record that cannot be written (a full
  // disk, a read-only folder) never hides the deploy's own result: it is said after it.
  const problems: string[] = [];
  if (trail.stages.length > 0 || trail.failed !== undefined) {
    const text = `${JSON.stringify(record, null, 2)}\n`;
    for (const file of [`${name}.json`, 'latest.json'])
      await ctx.files.write(join(DEPLOYS_DIR, file), text).catch((e: unknown) => {
        problems.push(
          `${join(DEPLOYS_DIR, file)} could not be written: ${writeCause(e)}; foundation validate will not see this deploy`,
        );
      });
  }
  if (app.output === 'json') app.stdout(jsonLine('deploy', { record }));
  else say(renderDeploy(record));
  for (const p of problems) app.stderr(`foundation: warning: ${app.redactor.redact(p)}\n`);
  if (error === null) return EXIT.ok;
  if (error instanceof FoundationError) return error.exitCode;
  throw error instanceof Error ? error : new Error(toErrorInfo(error).message);
}
