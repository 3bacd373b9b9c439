import { NO_KIT } from '../../lib/generator/kit.js';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../../lib/config/schema.js';
import { envSecrets } from '../../lib/config/env-secrets.js';
import type { Files, Secrets, TaskContext, TaskLogger } from '../../lib/model/context.js';
import { defineTask, type CheckResult, type Task, type TaskDefinition } from '../../lib/model/task.js';
import { execute } from '../../lib/graph/execute.js';
import { select } from '../../lib/graph/plan.js';
import type { Outcome, TaskResult } from '../../lib/model/outcome.js';
import type { RunEventBody } from '../../lib/report/events.js';
import { exitCodeFor } from '../../lib/report/summary.js';
import { fakeClock } from './fake-clock.js';

/**
 * A secret for a test, made up at run time: no literal that looks like a key is ever committed (the
 * repository's own secret scan, REQ-0.6/AC2, stays at zero findings).
 */
export const madeUpSecret = (label: string): string => `${label}-${randomBytes(12).toString('hex')}`;

export const CONFIG: Config = Object.freeze({
  target: 'k3d',
  concurrency: 4,
  cancelGraceMs: 5_000,
  logLevel: 'info',
  kafkaBrokers: ['localhost:19092'],
  kafkaClient: 'platformatic',
  clusterName: 'foundation',
  k3dAgents: 0,
  composeFile: 'compose/docker-compose.yml',
  helmRepos: {},
  secretsSet: [],
  tracesApi: 'tempo',
  serviceBuilder: 'buildkit',
});

/** A task over a boolean "world": check says ok once apply has run (or when it starts converged). */
export interface FixtureTask {
  task: Task;
  applies: number;
  checks: number;
  converged: boolean;
}

export function fixture(
  id: string,
  deps: string[] = [],
  opts: {
    applyMs?: number;
    checkMs?: number;
    converged?: boolean;
    applyThrows?: Error;
    neverConverges?: boolean;
    extra?: Partial<TaskDefinition>;
  } = {},
): FixtureTask {
  const state: FixtureTask = {
    applies: 0,
    checks: 0,
    converged: opts.converged ?? false,
    task: undefined as unknown as Task,
  };
  state.task = defineTask({
    id,
    title: `fixture ${id}`,
    deps,
    hint: `fix ${id}`,
    async check(ctx): Promise<CheckResult> {
      state.checks++;
      if (opts.checkMs) await sleep(opts.checkMs, undefined, { signal: ctx.signal });
      return state.converged ? { status: 'ok' } : { status: 'missing', reason: `${id} not there` };
    },
    async apply(ctx) {
      state.applies++;
      if (opts.applyMs) await sleep(opts.applyMs, undefined, { signal: ctx.signal });
      if (opts.applyThrows) throw opts.applyThrows;
      if (!opts.neverConverges) state.converged = true;
    },
    ...opts.extra,
  });
  return state;
}

export const silentLog: TaskLogger = { info: () => undefined, warn: () => undefined, debug: () => undefined };

const absent = (port: string) => (): Promise<never> =>
  Promise.reject(new Error(`no ${port} in this fake context`));

/**
 * Generated secrets are one fixed value; the secret settings come from the .env in `from` (in-memory
 * files, or a Files port) as `env` overrides it (none by default: a task never sees the shell's environment).
 */
export function fakeSecrets(
  from: ReadonlyMap<string, string> | Files,
  env: Readonly<Record<string, string>> = {},
  generated = 'generated-secret-value-0123456789',
): Secrets {
  const files: Files =
    from instanceof Map
      ? ({ read: (p: string) => Promise.resolve(from.get(p) ?? null) } as Files)
      : (from as Files);
  return { generate: () => generated, values: () => envSecrets(files, env) };
}

/** A context with in-memory files; every other port refuses until a test hands in a fake of it. */
export function fakeContext(
  parts: Partial<TaskContext> & { fileMap?: Map<string, string>; fileModes?: Map<string, number> } = {},
): TaskContext & {
  fileMap: Map<string, string>;
  fileModes: Map<string, number>;
} {
  const fileMap = parts.fileMap ?? new Map<string, string>();
  const modes = parts.fileModes ?? new Map<string, number>();
  const kube = absent('Kubernetes');
  const helm = absent('helm');
  return {
    config: CONFIG,
    target: 'k3d',
    signal: new AbortController().signal,
    clock: fakeClock(),
    log: silentLog,
    // Every host port free unless a test hands in busy ones.
    listeners: { inUse: () => Promise.resolve(false) },
    files: {
      read: (p) => Promise.resolve(fileMap.get(p) ?? null),
      write: (p, c, o = {}) => {
        fileMap.set(p, c);
        modes.set(p, o.mode ?? 0o644);
        return Promise.resolve();
      },
      exists: (p) => Promise.resolve(fileMap.has(p)),
      folders: (p) => {
        const prefix = `${p.replace(/\/$/, '')}/`;
        const names = [...fileMap.keys()]
          .filter((f) => f.startsWith(prefix) && f.slice(prefix.length).includes('/'))
          .map((f) => f.slice(prefix.length).split('/')[0] ?? '');
        return Promise.resolve([...new Set(names)].sort());
      },
      // A file a test put in the map itself is 600 unless the test says otherwise in fileModes.
      mode: (p) => Promise.resolve(fileMap.has(p) ? (modes.get(p) ?? 0o600) : null),
      lock: (p) => {
        const held = fileMap.get(p);
        if (held !== undefined) return Promise.resolve({ heldBy: Number(held) });
        fileMap.set(p, `${process.pid}\n`);
        return Promise.resolve({
          release: () => {
            fileMap.delete(p);
            return Promise.resolve();
          },
        });
      },
      chmod: (p, m) => {
        modes.set(p, m);
        return Promise.resolve();
      },
    },
    platform: { os: 'linux', arch: 'x64', workspace: '/ws', packageRoot: '/pkg', nodeVersion: '24.21.0' },
    // The .env a test's own Files port holds, when it gives one (read lazily, as the real adapter does).
    secrets: fakeSecrets({
      read: (p) => (parts.files ?? { read: (q: string) => Promise.resolve(fileMap.get(q) ?? null) }).read(p),
    } as Files),
    kafka: { connect: absent('Kafka') },
    kube: {
      version: kube,
      nodes: kube,
      read: kube,
      apply: kube,
      list: kube,
      delete: kube,
      build: kube,
      rollout: kube,
      proxyGet: kube,
    },
    helm: { release: helm, values: helm, repos: helm, upgradeInstall: helm },
    docker: {
      version: absent('Docker'),
      imageExists: absent('Docker'),
      build: absent('Docker'),
      memory: absent('Docker'),
      imageId: absent('Docker'),
      tag: absent('Docker'),
      publishedPorts: absent('Docker'),
    },
    k3d: {
      clusters: absent('k3d'),
      create: absent('k3d'),
      start: absent('k3d'),
      stop: absent('k3d'),
      delete: absent('k3d'),
      importImage: absent('k3d'),
    },
    compose: {
      version: absent('Compose'),
      ps: absent('Compose'),
      services: absent('Compose'),
      image: absent('Compose'),
      hashes: absent('Compose'),
      published: absent('Compose'),
      up: absent('Compose'),
      restart: absent('Compose'),
      down: absent('Compose'),
      logs: absent('Compose'),
      port: absent('Compose'),
    },
    tools: {
      probe: absent('tools'),
      binDir: '/ws/.foundation/tools/bin',
      releases: [],
      install: absent('tools'),
    },
    git: {
      isIgnored: absent('git'),
      isTracked: absent('git'),
      uncommitted: absent('git'),
      hooks: absent('git'),
      installHooks: absent('git'),
    },
    npm: {
      installed: absent('npm'),
      ci: absent('npm'),
      test: absent('npm'),
      testInputs: absent('npm'),
      lastPass: absent('npm'),
      recordPass: absent('npm'),
    },
    ci: { find: absent('ci'), run: absent('ci'), install: absent('ci'), workflows: absent('ci') },
    automation: {
      completion: () => {
        throw new Error('completion is not part of this test');
      },
      installedCompletions: () => Promise.resolve([]),
      writeCompletion: absent('completion'),
    },
    generator: {
      template: () => ({ version: '0', serviceOwned: [], files: [], kit: NO_KIT }),
      writeTree: () => Promise.resolve(),
    },
    validation: {
      request: { skipPerf: false, restartBroker: false, restartCluster: false },
      bus: {
        client: () => ({ name: 'none', producer: absent('bus'), consumer: absent('bus') }),
        scratchTopic: absent('bus'),
        fanout: absent('bus'),
        mark: absent('bus'),
        readBack: absent('bus'),
      },
      secrets: { scan: absent('gitleaks') },
      http: { get: absent('HTTP'), post: absent('HTTP'), watch: absent('HTTP') },
      reach: { reach: absent('HTTP') },
      store: {
        runs: () => [],
        events: () => [],
        write: () => {
          throw new Error('no report store in this fake context');
        },
        latest: () => null,
        testRun: () => null,
      },
      checkTasks: absent('task checks'),
      environment: () => ({}),
    },
    ...parts,
    fileMap,
    fileModes: modes,
  };
}

export function collector(): { events: RunEventBody[]; emit: (e: RunEventBody) => void } {
  const events: RunEventBody[] = [];
  return { events, emit: (e) => events.push(e) };
}

/** Run one task through the real executor with a given context: its result and the run's exit code. */
export async function runOne(
  task: Task,
  ctx: TaskContext,
  target: TaskContext['target'] = ctx.target,
  options: { readonly force?: boolean } = {},
): Promise<{ result: TaskResult | undefined; code: number }> {
  const results = await execute({
    ...(options.force === true ? { force: new Set([task.id]) } : {}),
    mode: 'run',
    selection: select([task], null, false),
    target,
    concurrency: 1,
    signal: new AbortController().signal,
    emit: () => undefined,
    contextFor: () => ctx,
    retryDelayMs: () => 1,
  });
  return { result: results[0], code: exitCodeFor('run', results) };
}

/** A task's result as the executor records it (10 ms, no applies), for recap and summary tests. */
export const taskResult = (id: string, outcome: Outcome, extra: Partial<TaskResult> = {}): TaskResult => ({
  id,
  title: `title ${id}`,
  outcome,
  durationMs: 10,
  applies: 0,
  ...extra,
});
