// REQ-0.4/AC5 "a fresh clone recreates it": a `foundation all` recorded as starting from a fresh clone (a
// commit, nothing uncommitted, no .env, no run before: summary.json's `checkout`) that converged, or was
// followed by one converging on the same commit with nothing changed. Validate never clones by itself: the
// evidence is a clone of the repository where `foundation all` then `foundation validate` were run.
import { isFreshClone, type RunSummary } from '../report/summary.js';
import type { Observations } from './judge.js';
import { platformConverged } from './task-evidence.js';

/** The platform built by this run (every task but 0-13 converged: a FAIL in its report is not a failed build). */
const built = (r: RunSummary): boolean => r.tasks.length > 0 && platformConverged(r);

const HOW = "the run store: .foundation/runs/*/summary.json, each `foundation all`'s checkout at its start";

/** From the runs of the validated target, oldest first. Pure. */
export function freshCloneObservations(runs: readonly RunSummary[]): Observations {
  const id = 'REQ-0.4/AC5';
  const fresh = runs.find((r) => r.command === 'all' && r.mode === 'run' && isFreshClone(r.checkout));
  const head = fresh?.checkout?.head;
  if (fresh === undefined || head === undefined || head === null)
    return {
      [id]: {
        kind: 'absent',
        reason:
          'no `foundation all` in this workspace started from a fresh clone (a commit, nothing uncommitted, no .env, no run before): clone the repository into a new folder, run foundation all, then foundation validate there',
      },
    };
  const from = `run ${fresh.runId} started from a fresh clone (commit ${head.slice(0, 12)}, nothing uncommitted, no .env)`;
  if (built(fresh))
    return {
      [id]: {
        kind: 'fact',
        holds: true,
        detail: `${from} and built the platform: every task but 0-13 converged`,
        how: HOW,
      },
    };
  // Its first run may stop at something of the machine (Docker stopped); a later one on the same files counts.
  const later = runs.find(
    (r) =>
      Date.parse(r.startedAt) > Date.parse(fresh.startedAt) &&
      r.command === 'all' &&
      r.mode === 'run' &&
      built(r) &&
      r.checkout?.head === head &&
      r.checkout.uncommitted === 0,
  );
  return later !== undefined
    ? {
        [id]: {
          kind: 'fact',
          holds: true,
          detail: `${from}, stopped (exit ${fresh.exitCode}); run ${later.runId} then built it on the same commit with nothing changed`,
          how: HOW,
        },
      }
    : {
        [id]: {
          kind: 'fact',
          holds: false,
          detail: `${from}, stopped (exit ${fresh.exitCode}), and no later foundation all built the platform on that commit with nothing changed`,
          how: HOW,
          fix: `foundation all (the recap names what stopped it; .foundation/runs/${fresh.runId} has its log)`,
        },
      };
}
