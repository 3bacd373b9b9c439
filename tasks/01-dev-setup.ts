import { join } from 'node:path';
import { parseEnvFile, planEnvFile, type EnvPlan } from '../lib/config/env-file.js';
import { FoundationError } from '../lib/errors.js';
import type { TaskContext } from '../lib/model/context.js';
import { defineTask } from '../lib/model/task.js';
import { DEFAULT_TARGET } from '../lib/config/targets.js';
import { describeProbe, dockerMemoryWarning, evaluateTools } from '../lib/prereqs/evaluate.js';
import { planInstalls, platformOf } from '../lib/prereqs/releases.js';
import { setupBlocked, setupDrift } from '../lib/prereqs/setup-drift.js';
import { ignoreInGit, toIgnore } from '../lib/secrets-ignored.js';

/**
 * Foundation's .env.example, then the workspace's own when it has a different one (its services'
 * variables): .env gets both, and where both name a variable the workspace's line wins.
 */
async function readExample(ctx: TaskContext): Promise<string> {
  const packagedPath = join(ctx.platform.packageRoot, '.env.example');
  const packaged = await ctx.files.read(packagedPath);
  const own = await ctx.files.read('.env.example');
  // Each read alone first, so a malformed line is named in its own file at its own line number.
  if (packaged !== null) parseEnvFile(packaged, packagedPath);
  if (own !== null) parseEnvFile(own, '.env.example');
  const example = [packaged, own === packaged ? null : own].filter((t) => t !== null).join('\n') || null;
  if (example === null) {
    throw new FoundationError(
      'E_INSTALL_BROKEN',
      '.env.example is in neither the workspace nor the Foundation package',
      'reinstall Foundation (in its repository: git checkout .env.example)',
    );
  }
  return example;
}

/** The tools that could not be installed, in one error: the first's code and fix, each one's reason. */
function installFailure(failed: readonly { name: string; error: unknown }[], tried: number): unknown {
  const [first] = failed;
  if (failed.length === 1) return first?.error;
  const why = (e: unknown): string => (e instanceof Error ? e.message : String(e));
  const lead = first?.error instanceof FoundationError ? first.error : null;
  return new FoundationError(
    lead?.code ?? 'E_COMMAND_FAILED',
    `${failed.length} of ${tried} tools could not be installed: ${failed.map((f) => `${f.name}: ${why(f.error)}`).join('; ')}`,
    lead?.fix,
  );
}

/** `.env`'s permission bits; null without one, or where files have none to speak of (Windows). */
async function envMode(ctx: TaskContext): Promise<number | null> {
  return ctx.platform.os === 'other' ? null : ctx.files.mode('.env');
}

async function envPlan(ctx: TaskContext, generate: () => string): Promise<EnvPlan> {
  // A first .env keeps a target this run was given (--target compose) over the example's default; the
  // default itself leaves the examples' value (a workspace's own .env.example may choose another).
  const chosen = ctx.target === DEFAULT_TARGET ? {} : { FOUNDATION_TARGET: ctx.target };
  return planEnvFile(await readExample(ctx), await ctx.files.read('.env'), generate, chosen);
}

/**
 * 0-1 dev-setup: the tools the platform needs, at usable versions (Docker with a reachable daemon and enough
 * memory, kubectl, helm, k3d, go-task, gitleaks, node, git); `.env` from `.env.example` with generated
 * secrets; the git hooks. A missing or too old tool with a pinned release for this OS and CPU
 * (`ctx.tools.releases`, from lib/prereqs/pins.ts) is installed into the project's tool directory, its
 * SHA-256 checked; what cannot be installed (Docker, git, node) is said with the fix.
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
    const memory = dockerMemoryWarning(probes, ctx.platform.os);
    if (memory !== null) ctx.log.warn(memory);
    const env = await envPlan(ctx, () => 'placeholder');
    const hooks = await ctx.git.hooks();
    if (hooks === 'no-git')
      ctx.log.warn('the workspace is not a git repository: git hooks are not installed');
    const plan = planInstalls(problems, ctx.tools.releases, platformOf(ctx.platform.os, ctx.platform.arch));
    const drift = setupDrift({
      noEnv: (await ctx.files.read('.env')) === null,
      envMode: await envMode(ctx),
      env,
      hooks,
      notIgnored: await toIgnore(ctx),
      installs: plan.install,
      probes,
    });
    if (drift.lines.length > 0) {
      const tools = plan.byHand.map((p) => `${p.name} ${p.problem}`);
      return { status: 'drift', reason: [...drift.lines, ...tools].join('; '), changes: drift.changes };
    }
    plan.byHand.forEach((p) => {
      ctx.log.warn(`${p.name}: ${p.problem} — ${p.detail}`);
    });
    const scan =
      hooks === 'no-scan' ? join(ctx.platform.packageRoot, 'scripts', 'hooks', 'secret-scan') : null;
    const blocked = setupBlocked(plan.byHand, env.cutSecrets, ctx.platform.os, scan);
    if (blocked !== null) return { status: 'blocked', ...blocked };
    return { status: 'ok', detail: probes.map(describeProbe).join(', ') };
  },
  async apply(ctx) {
    const env = await envPlan(ctx, () => ctx.secrets.generate());
    if (env.changes.length === 0 && ((await envMode(ctx)) ?? 0) & 0o077) {
      await ctx.files.chmod('.env', 0o600);
      ctx.log.info('.env: mode 600 (only you may read it)');
    }
    // Ignored before the first secret is written, so an apply cut short (Ctrl+C) never leaves an .env git
    // would take.
    await ignoreInGit(ctx);
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
    const problems = evaluateTools(await ctx.tools.probe(), ctx.platform.os, ctx.target);
    const { install } = planInstalls(
      problems,
      ctx.tools.releases,
      platformOf(ctx.platform.os, ctx.platform.arch),
    );
    // Each tool is tried, whatever became of the one before: offline, all that failed are said at once.
    const failed: { name: string; error: unknown }[] = [];
    for (const { release, asset } of install) {
      try {
        const r = await ctx.tools.install({
          name: release.name,
          version: release.version,
          command: release.command,
          ...asset,
        });
        ctx.log.info(
          `installed ${release.name} ${release.version} at ${r.path} (${(r.bytes / 1e6).toFixed(1)} MB in ${(r.ms / 1000).toFixed(1)} s, SHA-256 as pinned)`,
        );
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        failed.push({ name: release.name, error });
      }
    }
    if (failed.length > 0) throw installFailure(failed, install.length);
    if (install.length > 0)
      ctx.log.info(
        `Foundation finds them there; for your own shell, add to its profile: export PATH="${ctx.tools.binDir}:$PATH"`,
      );
  },
});
