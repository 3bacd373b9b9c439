import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../../lib/config/schema.js';
import type { Shell, ShellResult, TaskContext, TaskLogger } from '../../lib/model/context.js';
import { defineTask, type CheckResult, type Task, type TaskDefinition } from '../../lib/model/task.js';
import { execute } from '../../lib/graph/execute.js';
import { select } from '../../lib/graph/plan.js';
import type { TaskResult } from '../../lib/model/outcome.js';
import type { RunEventBody } from '../../lib/report/events.js';
import { exitCodeFor } from '../../lib/report/summary.js';

export const CONFIG: Config = Object.freeze({
  target: 'k3d',
  concurrency: 4,
  logLevel: 'info',
  kafkaBrokers: ['localhost:19092'],
  clusterName: 'foundation',
  k3dAgents: 0,
  helmRepos: {},
  secretsSet: [],
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

/** A shell whose answers are scripted per command line (`docker version --format …`). */
export function scriptedShell(
  answers: Record<string, ShellResult | ((args: readonly string[]) => ShellResult)>,
  onPath: readonly string[] = Object.keys(answers).map((k) => k.split(' ')[0] ?? ''),
): Shell & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    run(command, args) {
      const line = [command, ...args].join(' ');
      calls.push(line);
      const answer = answers[line] ?? answers[command];
      if (answer === undefined)
        return Promise.resolve({ exitCode: 127, stdout: '', stderr: `${command}: not found` });
      return Promise.resolve(typeof answer === 'function' ? answer(args) : answer);
    },
    which(command) {
      return Promise.resolve(onPath.includes(command) ? `/usr/bin/${command}` : null);
    },
  };
}

export const ok = (stdout: string): ShellResult => ({ exitCode: 0, stdout, stderr: '' });

/** A context with in-memory files and a scripted shell; what tasks write can be read back. */
export function fakeContext(
  parts: Partial<TaskContext> & { fileMap?: Map<string, string> } = {},
): TaskContext & {
  fileMap: Map<string, string>;
} {
  const fileMap = parts.fileMap ?? new Map<string, string>();
  return {
    config: CONFIG,
    target: 'k3d',
    signal: new AbortController().signal,
    log: silentLog,
    sh: scriptedShell({}),
    files: {
      read: (p) => Promise.resolve(fileMap.get(p) ?? null),
      write: (p, c) => {
        fileMap.set(p, c);
        return Promise.resolve();
      },
      exists: (p) => Promise.resolve(fileMap.has(p)),
    },
    platform: { os: 'linux', arch: 'x64', workspace: '/ws', packageRoot: '/pkg', nodeVersion: '24.21.0' },
    secrets: { generate: () => 'generated-secret-value-0123456789' },
    kafka: { connect: () => Promise.reject(new Error('no Kafka in this fake context')) },
    kube: {
      version: () => Promise.reject(new Error('no Kubernetes in this fake context')),
      nodes: () => Promise.reject(new Error('no Kubernetes in this fake context')),
      read: () => Promise.reject(new Error('no Kubernetes in this fake context')),
      apply: () => Promise.reject(new Error('no Kubernetes in this fake context')),
      list: () => Promise.reject(new Error('no Kubernetes in this fake context')),
    },
    helm: {
      release: () => Promise.reject(new Error('no helm in this fake context')),
      values: () => Promise.reject(new Error('no helm in this fake context')),
      repos: () => Promise.reject(new Error('no helm in this fake context')),
      upgradeInstall: () => Promise.reject(new Error('no helm in this fake context')),
    },
    generator: {
      template: () => ({ version: '0', serviceOwned: [], files: [] }),
      writeTree: () => Promise.resolve(),
    },
    ...parts,
    fileMap,
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
): Promise<{ result: TaskResult | undefined; code: number }> {
  const results = await execute({
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
