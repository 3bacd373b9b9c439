// A run store's summary as task 0-13's probes read it: a k3d run that took each task 90 s and applied once
// each task that changed, failed or was cancelled.
import type { RunSummary } from '../../lib/report/summary.js';

export const recordedRun = (runId: string, startedAt: string, outcomes: Record<string, string>): RunSummary =>
  ({
    v: 1,
    runId,
    mode: 'run',
    target: 'k3d',
    startedAt,
    durationMs: 1_000,
    exitCode: 0,
    counts: {},
    runDir: `.foundation/runs/${runId}`,
    tasks: Object.entries(outcomes).map(([id, outcome]) => ({
      id,
      title: id,
      outcome,
      durationMs: 90_000,
      applies: ['ok', 'skipped', 'blocked', 'would-change', 'pending-upstream'].includes(outcome) ? 0 : 1,
    })),
  }) as RunSummary;
