import { join } from 'node:path';
import { planEnvFile, type EnvPlan } from '../lib/config/env-file.js';
import { FoundationError } from '../lib/errors.js';
import type { TaskContext } from '../lib/model/context.js';
import { defineTask } from '../lib/model/task.js';
import { describeProbe, evaluateTools, formatToolHint } from '../lib/prereqs/evaluate.js';

async function readExample(ctx: TaskContext): Promise<string> {
  const own = await ctx.files.read('.env.example');
  const example = own ?? (await ctx.files.read(join(ctx.platform.packageRoot, '.env.example')));
  if (example === null) {
    throw new FoundationError(
      'E_INSTALL_BROKEN',
      '.env.example is in neither the workspace nor the Foundation package',
      'reinstall Foundation (in its repository: git checkout .env.example)',
    );
  }
  return example;
}

async function envPlan(ctx: TaskContext, generate: () => string): Promise<EnvPlan> {
  return planEnvFile(await readExample(ctx), await ctx.files.read('.env'), generate);
}

/**
 * 0-1 dev-setup: the tools the platform needs, at usable versions (Docker with a reachable daemon, kubectl,
 * helm, k3d, node, git); `.env` from `.env.example` with generated secrets; the git hooks.
 * What it can converge (.env, hooks) it does even when a tool is missing; then it reports what to install.
 */
export default defineTask({
  id: '0-1',
  title: 'Developer prerequisites, .env and git hooks',
  deps: [],
  hint: 'install the tools listed above, then: foundation run 0-1',
  timeoutMs: 120_000,
  async check(ctx) {
    const probes = await ctx.tools.probe();
    probes.forEach((p) => {
      ctx.log.info(describeProbe(p));
    });
    const problems = evaluateTools(probes, ctx.platform.os, ctx.target);
    const env = await envPlan(ctx, () => 'placeholder');
    const hooks = await ctx.git.hooks();
    if (hooks === 'no-git')
      ctx.log.warn('the workspace is not a git repository: git hooks are not installed');
    const local = [
      ...env.changes.map((c) =>
        c.kind === 'generate' ? `.env: ${c.name} needs a generated secret` : `.env: ${c.name} missing`,
      ),
      ...(hooks === 'missing' ? ['git hooks not installed'] : []),
    ];
    const tools = problems.map((p) => `${p.name} ${p.problem}`);
    if (local.length > 0) {
      return { status: 'drift', reason: [...local, ...tools].join('; ') };
    }
    if (problems.length > 0) {
      problems.forEach((p) => {
        ctx.log.warn(`${p.name}: ${p.problem} — ${p.detail}`);
      });
      return {
        status: 'blocked',
        reason: `missing or unusable: ${tools.join(', ')}`,
        hint: formatToolHint(problems, ctx.platform.os),
      };
    }
    return { status: 'ok', detail: probes.map(describeProbe).join(', ') };
  },
  async apply(ctx) {
    const env = await envPlan(ctx, () => ctx.secrets.generate());
    if (env.changes.length > 0) {
      await ctx.files.write('.env', env.text, { mode: 0o600 });
      const generated = env.changes.filter((c) => c.kind === 'generate').map((c) => c.name);
      const added = env.changes.filter((c) => c.kind === 'add').map((c) => c.name);
      if (added.length > 0) ctx.log.info(`.env: added ${added.join(', ')}`);
      if (generated.length > 0) ctx.log.info(`.env: generated strong values for ${generated.join(', ')}`);
    }
    if ((await ctx.git.hooks()) === 'missing') {
      await ctx.git.installHooks();
      ctx.log.info('git hooks installed (lefthook)');
    }
  },
});
