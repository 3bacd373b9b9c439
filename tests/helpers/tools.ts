import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const CACHE = process.env.FOUNDATION_CACHE ?? join(homedir(), '.cache', 'foundation');
export const IN_CI = ['1', 'true'].includes((process.env.CI ?? '').toLowerCase());

/**
 * A real tool for an integration test: `<NAME>_BIN`, then scripts/test-servers/install's cache, then PATH.
 * Returns the path, or a skip reason. Under CI a missing tool is an error: nothing may skip there.
 */
export function findTool(name: string, envVar: string): { path: string } | { skip: string } {
  const candidates = [process.env[envVar], join(CACHE, 'bin', name)];
  for (const c of candidates) if (c && existsSync(c)) return { path: c };
  try {
    const onPath = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    if (onPath) return { path: onPath };
  } catch {
    /* not on PATH */
  }
  const reason = `${name} not found (set ${envVar}, or run scripts/test-servers/install)`;
  if (IN_CI) throw new Error(`${reason} — CI must provision it`);
  return { skip: reason };
}
