// REQ-0.4/AC5 "a fresh clone recreates it": a `foundation all` recorded as starting from a fresh clone (a
// commit, nothing uncommitted, no .env, no run before: summary.json's `checkout`) that converged, or was
// followed by one converging on the same commit with nothing changed. Validate never clones by itself: the
// evidence is a clone of the repository where `foundation all` then `foundation validate` were run.
import { isFreshClone, type RunSummary } from '../report/summary.js';
import type { Observations } from './judge.js';

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
  const from = `run ${fresh.runId} started from a fresh clone (commit ${head}, nothing uncommitted, no .env)`;
  if (fresh.exitCode === 0)
    return { [id]: { kind: 'fact', holds: true, detail: `${from} and converged`, how: HOW } };
  // Its first run may stop at something of the machine (Docker stopped); a later one on the same files counts.
  const later = runs.find(
    (r) =>
      Date.parse(r.startedAt) > Date.parse(fresh.startedAt) &&
      r.command === 'all' &&
      r.mode === 'run' &&
      r.exitCode === 0 &&
      r.checkout?.head === head &&
      r.checkout.uncommitted === 0,
  );
  return later !== undefined
    ? {
        [id]: {
          kind: 'fact',
          holds: true,
          detail: `${from}, ended exit ${fresh.exitCode}; run ${later.runId} converged on the same commit with nothing changed`,
          how: HOW,
        },
      }
    : {
        [id]: {
          kind: 'fact',
          holds: false,
          detail: `${from}, ended exit ${fresh.exitCode}, and no later foundation all converged on that commit with nothing changed`,
          how: HOW,
          fix: `foundation all (the recap names what stopped it; .foundation/runs/${fresh.runId} has its log)`,
        },
      };
}
