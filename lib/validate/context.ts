import type { TaskResult } from '../model/outcome.js';
import type { BusProbe, HttpProbe, ReachProbe, SecretScan } from '../ports/validation.js';
import type { RunEvent } from '../report/events.js';
import type { RunSummary } from '../report/summary.js';
import type { TestRunRecord } from './ci-evidence.js';

/** What the user asked of this validation (`foundation validate`'s flags; defaults inside `foundation all`). */
export interface ValidationRequest {
  /** Leave out the load measurements (the report says so). */
  readonly skipPerf: boolean;
  /** Restart the broker to prove persistence (REQ-0.2/AC5, M3). */
  readonly restartBroker: boolean;
  /** Stop and start the cluster to measure start-up and survival (REQ-0.1/AC3, M1). */
  readonly restartCluster: boolean;
  /** Write the report there instead of .foundation/reports/<id>/. */
  readonly out?: string;
}

/** Where reports and runs are kept (.foundation/reports, .foundation/runs). */
export interface ReportStore {
  /** Past runs of this workspace, oldest first. */
  runs(): RunSummary[];
  events(runId: string): RunEvent[];
  /** Writes phase0-report.md and .json; returns the folder (relative to the workspace when inside it). */
  write(id: string, md: string, json: string, out?: string): string;
  /** The newest report's JSON (`.foundation/reports/latest`), or null. */
  latest(): string | null;
  /** The last whole test suite's record (`.foundation/ci/last-test-run.json`), or null. */
  testRun(): TestRunRecord | null;
}

/** Task 0-13's part of the task context: the probes, the stores, and every other task's read-only check. */
export interface Validation {
  readonly request: ValidationRequest;
  readonly bus: BusProbe;
  readonly secrets: SecretScan;
  readonly http: HttpProbe;
  /** `foundation status`'s probe of the platform's UIs (resolves *.localhost itself). */
  readonly reach: ReachProbe;
  readonly store: ReportStore;
  /** Every other task's check, read only (as `foundation plan`; not recorded as a run). */
  checkTasks(signal: AbortSignal): Promise<TaskResult[]>;
  /** Versions the caller knows (Foundation, Node, OS). */
  environment(): Record<string, string>;
}
