import { join } from 'node:path';
import { FoundationError } from '../errors.js';
import type { TaskContext } from '../model/context.js';

export type HookState = 'installed' | 'missing' | 'no-git';

/** Are the git hooks (lefthook) installed in the workspace's repository? Read-only. */
export async function hookState(ctx: TaskContext): Promise<HookState> {
  const where = await ctx.sh.run('git', ['rev-parse', '--git-path', 'hooks'], { stream: false });
  if (where.exitCode !== 0) return 'no-git';
  const dir = where.stdout.trim();
  const hook = await ctx.files.read(join(dir, 'pre-commit'));
  const config = await ctx.files.exists('lefthook.yml');
  return hook?.includes('lefthook') === true && config ? 'installed' : 'missing';
}

/** Install the hooks with lefthook (the package's own binary, so no global install is needed). */
export async function installHooks(ctx: TaskContext): Promise<void> {
  if (!(await ctx.files.exists('lefthook.yml'))) {
    const template = await ctx.files.read(join(ctx.platform.packageRoot, 'lefthook.yml'));
    if (template === null) {
      throw new FoundationError(
        'E_TASK_ERROR',
        'lefthook.yml is missing from the Foundation package',
        'reinstall Foundation (git checkout lefthook.yml)',
      );
    }
    // Outside the Foundation repository the scan script is not at a relative path: point at the package's.
    const scan = join(ctx.platform.packageRoot, 'scripts', 'hooks', 'secret-scan');
    await ctx.files.write('lefthook.yml', template.replace('run: scripts/hooks/secret-scan', `run: ${scan}`));
  }
  const bin = join(ctx.platform.packageRoot, 'node_modules', 'lefthook', 'bin', 'index.js');
  const result = await ctx.sh.run('node', [bin, 'install'], { env: { LEFTHOOK: '1' } });
  if (result.exitCode !== 0) {
    throw new FoundationError(
      'E_COMMAND_FAILED',
      `lefthook install exited ${result.exitCode}: ${result.stderr.trim() || result.stdout.trim()}`,
      'run scripts/bootstrap (installs the npm packages, lefthook among them), then foundation run 0-1',
    );
  }
}
