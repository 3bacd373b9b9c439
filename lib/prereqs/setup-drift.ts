import type { EnvPlan } from '../config/env-file.js';
import type { HookState, ToolProbe } from '../ports/dev.js';
import type { DriftItem } from '../model/task.js';
import { formatToolHint, type ToolProblem } from './evaluate.js';
import type { ReleaseAsset, ToolRelease } from './releases.js';
import type { Os } from './tools.js';

export interface SetupFacts {
  /** No `.env` at all: one line, not one per variable. */
  readonly noEnv: boolean;
  /** `.env`'s permission bits (null: no file, or a filesystem or system without them). */
  readonly envMode: number | null;
  readonly env: EnvPlan;
  readonly hooks: HookState;
  /** What git does not ignore of .env and .foundation/ (a git repository only). */
  readonly notIgnored: readonly string[];
  readonly installs: readonly { release: ToolRelease; asset: ReleaseAsset }[];
  readonly probes: readonly ToolProbe[];
}

/** What task 0-1 would change, as short lines (said once each) and as data. Never a value of `.env`. Pure. */
export function setupDrift(f: SetupFacts): { lines: string[]; changes: DriftItem[] } {
  const lines: string[] = [];
  const changes: DriftItem[] = [];
  const add = (line: string, item: DriftItem): void => {
    lines.push(line);
    changes.push(item);
  };
  if (f.noEnv)
    add('.env does not exist — 0-1 writes it from .env.example, secrets generated', {
      path: '.env',
      want: 'present',
      have: null,
    });
  else
    for (const c of f.env.changes)
      add(c.kind === 'generate' ? `.env: ${c.name} needs a generated secret` : `.env: ${c.name} missing`, {
        path: `.env/${c.name}`,
        want: c.kind === 'generate' ? 'a generated secret' : 'the .env.example value',
        have: null,
      });
  if (f.envMode !== null && (f.envMode & 0o077) !== 0) {
    const octal = (m: number): string => m.toString(8).padStart(3, '0');
    add(`.env is open to other users of this machine (mode ${octal(f.envMode)}) — 0-1 makes it 600`, {
      path: '.env#mode',
      want: '600',
      have: octal(f.envMode),
    });
  }
  if (f.notIgnored.length > 0)
    add(
      `${f.notIgnored.join(' and ')} not ignored by git — 0-1 adds ${f.notIgnored.length > 1 ? 'them' : 'it'} to .gitignore`,
      {
        path: '.gitignore',
        want: f.notIgnored.join(' '),
        have: null,
      },
    );
  if (f.hooks === 'missing')
    add('git hooks not installed', { path: '.git/hooks/pre-commit', want: 'lefthook', have: null });
  for (const { release } of f.installs)
    add(`${release.name} ${release.version} to install (pinned release)`, {
      path: `tools/${release.name}`,
      want: release.version,
      have: f.probes.find((p) => p.name === release.name)?.version ?? null,
    });
  return { lines, changes };
}

/**
 * Why task 0-1 cannot finish by itself, when it cannot: tools to install by hand, secrets whose unquoted
 * value starts with `#` (they read as empty, yet are the user's: nothing is generated over them), and a
 * lefthook.yml of the user's that runs no secret scan (`scan`: the command to add to it; null when it
 * does). Null when nothing stands in the way. Never a value of `.env`. Pure.
 */
export function setupBlocked(
  byHand: readonly ToolProblem[],
  cutSecrets: EnvPlan['cutSecrets'],
  os: Os,
  scan: string | null = null,
): { reason: string; hint: string } | null {
  if (byHand.length === 0 && cutSecrets.length === 0 && scan === null) return null;
  const reasons: string[] = [];
  const hints: string[] = [];
  if (scan !== null) {
    reasons.push('lefthook.yml (yours, kept as it is) runs no secret scan before a commit');
    hints.push(
      `add the scan to lefthook.yml, under pre-commit: commands: secrets: run: ${scan} (then: foundation run 0-1)`,
    );
  }
  if (byHand.length > 0) {
    reasons.push(`missing or unusable: ${byHand.map((p) => `${p.name} ${p.problem}`).join(', ')}`);
    hints.push(formatToolHint(byHand, os));
  }
  const hashed = cutSecrets.filter((c) => c.earlier === undefined);
  const blanked = cutSecrets.filter((c) => c.earlier !== undefined);
  if (hashed.length > 0) {
    const names = hashed.map((c) => `${c.name} (.env line ${c.line})`).join(', ');
    reasons.push(
      `${names}: the value starts with an unquoted "#", so it reads as empty; nothing is generated over it`,
    );
    hints.push('quote the value in .env (NAME="#…") to keep it, or empty it to have one generated');
  }
  for (const c of blanked) {
    reasons.push(
      `${c.name} is set on .env line ${c.earlier ?? '?'} and emptied on line ${c.line}, which wins: nothing is generated over your value`,
    );
    hints.push(
      `delete .env line ${c.line} to keep your value, or line ${c.earlier ?? '?'} to have one generated`,
    );
  }
  if (cutSecrets.length > 0 && byHand.length === 0 && scan === null)
    hints.push('then run: foundation run 0-1');
  return { reason: reasons.join('; '), hint: hints.join('\n') };
}
