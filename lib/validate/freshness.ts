import type { CheckResult } from '../model/task.js';
import type { RunSummary } from '../report/summary.js';
import { REPORT_SCHEMA_VERSION, type Report } from './report.js';
import { VALIDATE_TASK } from './task-evidence.js';

/**
 * Whether the last report still proves the platform: it exists, is of this schema and target, nothing was
 * changed by a run after it, and it has no FAIL. Pure: task 0-13's check over the stores' contents.
 */
export function reportState(
  latestJson: string | null,
  runs: readonly RunSummary[],
  target: string,
): CheckResult {
  if (latestJson === null)
    return { status: 'missing', reason: 'no Phase 0 report yet (.foundation/reports/latest)' };
  let report: Report;
  try {
    report = JSON.parse(latestJson) as Report;
  } catch {
    return {
      status: 'missing',
      reason: 'the last report cannot be read (.foundation/reports/latest/phase0-report.json)',
    };
  }
  if (report.v !== REPORT_SCHEMA_VERSION)
    return {
      status: 'drift',
      reason: `the last report has schema ${String(report.v)}, this Foundation writes ${REPORT_SCHEMA_VERSION}`,
    };
  if (report.target !== target)
    return { status: 'drift', reason: `the last report is for target ${report.target}` };
  const changers = (r: RunSummary): string[] =>
    // A failed or cancelled apply may have changed things before it ended: it counts too.
    r.tasks
      .filter((t) => t.id !== VALIDATE_TASK && (t.outcome === 'changed' || t.applies > 0))
      .map((t) => (t.outcome === 'changed' ? t.id : `${t.id} (${t.outcome} after applying)`));
  // Inside `foundation all` the runs include this one as far as it has gone (lib/commands/run-so-far.ts):
  // a dependency of 0-13 that changed earlier in the same run makes the report stale too.
  const changedAfter = runs.filter(
    (r) => Date.parse(r.startedAt) > Date.parse(report.generatedAt) && changers(r).length > 0,
  );
  const last = changedAfter.at(-1);
  if (last !== undefined)
    return {
      status: 'drift',
      reason: `run ${last.runId} changed ${changers(last).join(', ')} after the last report (${report.generatedAt})`,
    };
  const fails = report.findings.filter((f) => f.status === 'FAIL');
  if (fails.length > 0)
    return {
      status: 'drift',
      reason: `the report of ${report.generatedAt} has ${fails.length} FAIL: ${fails.map((f) => f.id).join(', ')} (each with its fix in .foundation/reports/latest/phase0-report.md)`,
    };
  return {
    status: 'ok',
    detail: `${report.verdict} on ${report.generatedAt}: ${report.counts.PASS} PASS, ${report.counts['NOT MEASURED']} NOT MEASURED`,
  };
}
