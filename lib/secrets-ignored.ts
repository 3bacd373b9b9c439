// What git must never take from a workspace: the secrets (.env) and the run logs and reports
// (.foundation/). Task 0-1 ignores them as it writes .env, so they are ignored from the first secret on;
// task 0-9 holds them ignored (its check is REQ-0.6/AC1's evidence).
import { lastRule } from './gitignore.js';
import type { TaskContext } from './model/context.js';

export const NEVER_COMMITTED = ['.env', '.foundation/'] as const;

/** Of NEVER_COMMITTED, what git does not ignore (none outside a git repository). */
export async function notIgnored(ctx: Pick<TaskContext, 'git'>): Promise<string[]> {
  const out: string[] = [];
  for (const path of NEVER_COMMITTED) if ((await ctx.git.isIgnored(path)) === false) out.push(path);
  return out;
}

/**
 * Of NEVER_COMMITTED, what git does not ignore and a line in .gitignore would fix: absent there, or
 * re-included by a `!` line (an ignore line at the end wins). One .gitignore already ignores, yet git does
 * not (another rule wins), is not here: task 0-9 says which rule to look for.
 */
export async function toIgnore(ctx: Pick<TaskContext, 'git' | 'files'>): Promise<string[]> {
  return (await gitignoreGaps(ctx)).missing;
}

/** .gitignore as it is, and what toIgnore would add to it: read once. */
async function gitignoreGaps(
  ctx: Pick<TaskContext, 'git' | 'files'>,
): Promise<{ current: string; missing: string[] }> {
  const current = (await ctx.files.read('.gitignore')) ?? '';
  const missing = (await notIgnored(ctx)).filter((path) => lastRule(current, path) !== 'ignore');
  return { current, missing };
}

/** Append toIgnore's paths to .gitignore; returns what was added. */
export async function ignoreInGit(ctx: Pick<TaskContext, 'git' | 'files' | 'log'>): Promise<string[]> {
  const { current, missing } = await gitignoreGaps(ctx);
  if (missing.length === 0) return [];
  const before = current === '' ? '' : current.replace(/\n?$/, '\n'); // a new file starts with its first line
  await ctx.files.write('.gitignore', `${before}${missing.join('\n')}\n`);
  ctx.log.info(`added ${missing.join(', ')} to .gitignore`);
  return missing;
}
