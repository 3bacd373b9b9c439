import type { Observation, Observations } from './judge.js';

/** `.foundation/ci/last-test-run.json`, written by the test runner after a whole suite (`npm test`). */
export interface TestRunRecord {
  readonly v: number;
  readonly startedAt: string;
  readonly durationMs: number;
  /** From `.ci/run`'s start (installs, build and tests); absent when the suite ran without it. */
  readonly pipelineMs?: number;
  readonly ci: boolean;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export const TEST_RUN_FILE = '.foundation/ci/last-test-run.json';

/** REQ-0.5/M1 from the last recorded CI run (`.ci/run`), else NOT MEASURED with the reason. Pure. */
export function ciObservations(record: TestRunRecord | null): Observations {
  let m1: Observation;
  if (record === null)
    m1 = {
      kind: 'absent',
      reason: `no CI run is recorded here (${TEST_RUN_FILE} is written by .ci/run’s test command)`,
    };
  else if (!record.ci || record.pipelineMs === undefined)
    m1 = {
      kind: 'absent',
      reason: `the last recorded suite (${record.startedAt}) ran outside CI (not through .ci/run), so it says nothing of the pipeline`,
    };
  else if (record.failed > 0)
    m1 = {
      kind: 'error',
      reason: `the last CI run (${record.startedAt}) failed ${record.failed} test${record.failed === 1 ? '' : 's'}: a failing pipeline's time is not a CI duration`,
      fix: 'make the suite pass, then .ci/run again',
    };
  else
    m1 = {
      kind: 'value',
      value: record.pipelineMs,
      unit: 'ms',
      how: `.ci/run on ${record.startedAt}: install, build and the whole suite (${record.passed} passed, ${record.failed} failed, ${record.skipped} skipped; tests alone ${Math.round(record.durationMs / 1000)} s), from ${TEST_RUN_FILE}`,
      fix: 'docs/testing.md (where the time goes); FOUNDATION_TEST_CONCURRENCY',
    };
  return { 'REQ-0.5/M1': m1 };
}
