// REQ-0.4/AC4 "everything is in git": the workspace against its last commit. A fresh clone gets exactly
// what is committed; a file that is untracked or changed (ignored ones aside: .env, .foundation/) would
// be missing from it, or different.
import type { WorkTree } from '../ports/dev.js';
import type { Observations } from './judge.js';
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
  const n = state.paths.length;
  if (n > 0) {
    const named = state.paths.slice(0, NAMED).join(', ');
    return fact(
      false,
      `${n} path${n === 1 ? '' : 's'} differ${n === 1 ? 's' : ''} from the last commit (a fresh clone would not have ${n === 1 ? 'it' : 'them'} as here): ${named}${n > NAMED ? `, and ${n - NAMED} more` : ''}`,
      'git status shows them: commit what the platform is made of (git add … && git commit); what a tool generates belongs in .gitignore',
    );
  }
  return fact(true, `every file of the workspace is committed (HEAD ${state.head}); ignored files aside`);
}

/** Asks git, within the probe time limit. */
export async function gitObservations(p: Pick<ValidationPorts, 'git'>): Promise<Observations> {
  return committedObservations(await within(PROBE_TIMEOUT_MS, 'git', () => p.git.uncommitted()));
}
