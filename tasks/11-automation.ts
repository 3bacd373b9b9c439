import { join } from 'node:path';
import {
  MAKEFILE,
  TASKFILE,
  makefileTargets,
  renderMakefile,
  renderTaskfile,
  taskfileTargets,
} from '../lib/automation/render.js';
import { ALL_TARGETS, GO_TASK, requiredNames } from '../lib/automation/targets.js';
import { TOOL_DIR } from '../lib/adapters/ci-tools.js';
import type { InstalledCompletion, TaskContext } from '../lib/model/context.js';
import { defineTask, type CheckResult } from '../lib/model/task.js';

interface Generated {
  readonly path: string;
  readonly want: string;
  readonly targets: (text: string) => string[] | null;
}

const generated = (ctx: TaskContext): Generated[] => [
  {
    path: join(ctx.platform.packageRoot, TASKFILE),
    want: renderTaskfile(ALL_TARGETS),
    targets: taskfileTargets,
  },
  {
    path: join(ctx.platform.packageRoot, MAKEFILE),
    want: renderMakefile(ALL_TARGETS),
    targets: makefileTargets,
  },
];

/** What is wrong with the Taskfile and the Makefile: the targets they lack, or that they differ. */
async function fileProblems(ctx: TaskContext): Promise<string[]> {
  const required = requiredNames(ALL_TARGETS);
  const out: string[] = [];
  for (const g of generated(ctx)) {
    const text = await ctx.files.read(g.path);
    const name = g.path.slice(ctx.platform.packageRoot.length + 1);
    if (text === null) out.push(`${name} is missing`);
    else if (text !== g.want) {
      const have = new Set(g.targets(text) ?? []);
      const lacks = required.filter((r) => !have.has(r));
      out.push(lacks.length > 0 ? `${name} lacks ${lacks.join(', ')}` : `${name} differs from its render`);
    }
  }
  return out;
}

/** Completion files the user installed that no longer match what the CLI generates. */
const staleOf = (ctx: TaskContext, installed: readonly InstalledCompletion[]): InstalledCompletion[] =>
  installed.filter((c) => c.content !== ctx.automation.completion(c.shell));

/**
 * 0-11 automation: Taskfile.yml and the Makefile hold a target for every step (and its name) and for the
 * everyday commands, rendered from lib/automation/targets.ts; go-task is installed (or put into the
 * project's tool directory); installed shell completion matches the CLI.
 */
export default defineTask({
  id: '0-11',
  title: 'Automation: Taskfile, Makefile, go-task, shell completion',
  deps: [],
  hint: 'foundation run 0-11; completion: foundation completion install',
  async check(ctx): Promise<CheckResult> {
    const problems = await fileProblems(ctx);
    if ((await ctx.ci.find(GO_TASK.command)) === null)
      problems.push('go-task is not installed (the Taskfile targets need it)');
    const installed = await ctx.automation.installedCompletions();
    for (const c of staleOf(ctx, installed))
      problems.push(`the ${c.shell} completion in ${c.path} is out of date`);
    if (problems.length > 0)
      return {
        status: problems.some((p) => /missing|not installed/.test(p)) ? 'missing' : 'drift',
        reason: problems.join('; '),
      };
    return {
      status: 'ok',
      detail: `${requiredNames(ALL_TARGETS).length} targets in Taskfile.yml and the Makefile; go-task found; completion: ${
        installed.length > 0
          ? installed.map((c) => c.shell).join(', ')
          : 'not installed (foundation completion install)'
      }`,
    };
  },
  async apply(ctx) {
    for (const g of generated(ctx))
      if ((await ctx.files.read(g.path)) !== g.want) {
        await ctx.files.write(g.path, g.want);
        ctx.log.info(`rendered ${g.path}`);
      }
    for (const c of staleOf(ctx, await ctx.automation.installedCompletions())) {
      await ctx.automation.writeCompletion(c.shell, ctx.automation.completion(c.shell));
      ctx.log.info(`updated the ${c.shell} completion in ${c.path}`);
    }
    if ((await ctx.ci.find(GO_TASK.command)) === null) {
      const path = await ctx.ci.install(GO_TASK);
      ctx.log.info(`installed go-task ${GO_TASK.version} at ${path}`);
      ctx.log.info(
        `put it on PATH (in your shell profile): export PATH="${join(ctx.platform.workspace, TOOL_DIR, 'bin')}:$PATH"`,
      );
    }
  },
});
