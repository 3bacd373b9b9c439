// REQ-0.4/AC4 "everything is in git": every file of the workspace is tracked by git (ignored ones aside:
// .env, .foundation/). An untracked file would be missing from a fresh clone; a tracked one with changes
// not committed yet is in git, and said.
import type { WorkTree } from '../ports/dev.js';
import { firstOf, type Observations } from './judge.js';
import type { ValidationPorts } from './probes.js';
import { PROBE_TIMEOUT_MS, failed, within } from './within.js';

const HOW = 'git status --porcelain --untracked-files=all -- . (ignored files aside); git rev-parse HEAD';
/** How many of the uncommitted paths the evidence names. */
const NAMED = 8;

/** The judgement from what git said: null outside a repository; `failed` when git gave no answer. Pure. */
export function committedObservations(state: WorkTree | null | { failed: string }): Observations {
  const id = 'REQ-0.4/AC4';
  if (failed(state)) return { [id]: { kind: 'error', reason: state.failed, fix: 'git status', how: HOW } };
  const fact = (holds: boolean, detail: string, fix?: string): Observations => ({
    [id]: { kind: 'fact', holds, detail, how: HOW, ...(fix === undefined ? {} : { fix }) },
  });
  if (state === null)
    return fact(
      false,
      'the workspace is not in a git repository (or git is not installed): none of it is in git',
      'git init && git add -A && git commit -m "the platform" (foundation run 0-1 checks git is installed)',
    );
  if (state.head === null)
    return fact(false, 'the repository has no commit yet', 'git add -A && git commit -m "the platform"');
  const short = state.head.slice(0, 12);
  const named = (paths: readonly string[]): string => firstOf(paths, NAMED);
  const n = state.untracked.length;
  if (n > 0)
    return fact(
      false,
      `${n} file${n === 1 ? ' is' : 's are'} not in git (untracked: a fresh clone would not have ${n === 1 ? 'it' : 'them'}): ${named(state.untracked)}`,
      'git add them and commit what the platform is made of; what a tool generates belongs in .gitignore',
    );
  // Tracked files with changes not committed yet are in git: working on them is not a failure of AC4
  // (a fresh clone needs a clean commit for REQ-0.4/AC5, which its own evidence says).
  const changed = state.paths.length;
  return fact(
    true,
    `every file of the workspace is tracked by git (HEAD ${short}), ignored files aside${changed === 0 ? '; nothing uncommitted' : `; ${changed} with changes not committed yet: ${named(state.paths)}`}`,
  );
}

/** Asks git, within the probe time limit. */
export async function gitObservations(p: Pick<ValidationPorts, 'git'>): Promise<Observations> {
  return committedObservations(await within(PROBE_TIMEOUT_MS, 'git', () => p.git.uncommitted()));
}
