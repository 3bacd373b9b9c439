import { join } from 'node:path';
import {
  CI_TOOLS,
  RENOVATE_ARGS,
  RENOVATE_ENV,
  firstFindings,
  lintOutcome,
  workflowLintArgs,
} from '../lib/ci/tools.js';
import { FoundationError } from '../lib/errors.js';
import type { TaskContext } from '../lib/model/context.js';
import { defineTask, type CheckResult } from '../lib/model/task.js';

/** The files 0-8 owns in the workspace; apply brings them from the Foundation package when absent. */
const OWNED = [join('.github', 'workflows', 'ci.yml'), 'renovate.json', '.checkov.yaml'];

type Located = { readonly command: string; readonly path: string | null };

/** Each finding linter's report over the workspace's workflows and renovate.json; [] when all pass. */
async function findings(
  ctx: TaskContext,
  located: readonly Located[],
  workflows: readonly string[],
): Promise<string[]> {
  const path = (command: string): string => located.find((l) => l.command === command)?.path ?? command;
  const runs = [
    ...(['actionlint', 'zizmor'] as const).map((tool) => ({
      tool,
      what: `${tool} (${workflows.length} workflow${workflows.length === 1 ? '' : 's'})`,
      run: () => ctx.ci.run(path(tool), workflowLintArgs(tool, workflows)),
    })),
    {
      tool: 'renovate-config-validator',
      what: 'renovate-config-validator',
      run: () => ctx.ci.run(path('renovate-config-validator'), RENOVATE_ARGS, RENOVATE_ENV),
    },
  ];
  const out: string[] = [];
  for (const r of runs) {
    const result = await r.run();
    const outcome = lintOutcome(r.tool, result.exitCode, result.output);
    const exit = result.exitCode === null ? 'killed by a signal' : `exit ${result.exitCode}`;
    // A linter that cannot start has found nothing: not the user's files to correct, but the tool.
    if (outcome === 'could-not-run')
      throw new FoundationError(
        'E_TOOL_BROKEN',
        `${r.tool} is installed but cannot run (${exit}): ${firstFindings(result.output, 2) || 'no output'}`,
        `run ${path(r.tool)} --version to see why; if it is Foundation's (under .foundation/tools), remove it and run foundation run 0-8 to install it again`,
      );
    if (outcome === 'not-checked')
      out.push(`${r.what} could not check the files (${exit}): ${firstFindings(result.output)}`);
    if (outcome === 'findings') out.push(`${r.what}: ${firstFindings(result.output)}`);
  }
  return out;
}

/** The files Foundation would write that the findings name: moved aside, Foundation's copy replaces them. */
function aside(problems: readonly string[]): string {
  const named = OWNED.filter((file) => problems.some((p) => p.includes(file)));
  return named.length === 0 ? '' : `, or move ${named.join(' and ')} aside to get Foundation's`;
}

const locate = (ctx: TaskContext): Promise<Located[]> =>
  Promise.all(CI_TOOLS.map(async (t) => ({ command: t.command, path: await ctx.ci.find(t.command) })));

/**
 * 0-8 CI/CD: the pipeline's files are in the workspace (.github/workflows/ci.yml, renovate.json,
 * .checkov.yaml), the linters and scanners it runs are installed, and the workflows pass actionlint and
 * zizmor and the Renovate config its own validator — locally, as CI runs them. `foundation ci` runs the
 * pipeline's stages; this task keeps what they need in place.
 */
export default defineTask({
  id: '0-8',
  title: 'CI/CD: workflows linted, scanners installed',
  // Needs nothing of the platform: its tools come from package registries into the project's tool directory.
  deps: [],
  hint: 'foundation run 0-8; then foundation ci runs the pipeline locally (docs/ci.md)',
  timeoutMs: 15 * 60_000,
  async check(ctx): Promise<CheckResult> {
    const absent = (
      await Promise.all(OWNED.map(async (f) => ((await ctx.files.exists(f)) ? null : f)))
    ).filter((f): f is string => f !== null);
    if (absent.length > 0) return { status: 'missing', reason: `not in the workspace: ${absent.join(', ')}` };
    const located = await locate(ctx);
    const missing = CI_TOOLS.filter((t) => located.find((l) => l.command === t.command)?.path === null);
    if (missing.length > 0)
      return {
        status: 'missing',
        reason: `not installed: ${missing.map((t) => `${t.name} (${t.why})`).join('; ')}`,
      };
    const workflows = await ctx.ci.workflows();
    const problems = await findings(ctx, located, workflows);
    // The files are there (the user's, or written earlier and since edited): apply never rewrites them, so
    // what the linters find is the user's to correct, not drift a run could converge.
    if (problems.length > 0)
      return {
        status: 'blocked',
        reason: `the pipeline's own checks fail:\n${problems.join('\n')}`,
        hint: `your files are kept as they are: correct what each finding names (docs/ci.md)${aside(problems)}; then foundation run 0-8`,
      };
    return {
      status: 'ok',
      detail: `${workflows.length} workflow(s) pass actionlint and zizmor, renovate.json validates, ${CI_TOOLS.length} tools installed`,
    };
  },
  async apply(ctx) {
    for (const file of OWNED) {
      if (await ctx.files.exists(file)) continue;
      const source = await ctx.files.read(join(ctx.platform.packageRoot, file));
      if (source === null || ctx.platform.packageRoot === ctx.platform.workspace)
        throw new FoundationError(
          'E_CONFIG_INVALID',
          `${file} is missing`,
          `restore it: git checkout -- ${file} (it is part of the Foundation repository)`,
        );
      await ctx.files.write(file, source);
      ctx.log.info(`wrote ${file} (from the Foundation package)`);
    }
    for (const { command, path } of await locate(ctx)) {
      const tool = CI_TOOLS.find((t) => t.command === command);
      if (path !== null || tool === undefined) continue;
      ctx.log.info(
        `installing ${tool.name} ${tool.version} (${tool.source.kind}) into the project's tool directory`,
      );
      ctx.log.info(`${tool.name}: ${await ctx.ci.install(tool)}`);
    }
  },
});
