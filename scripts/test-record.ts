// The whole suite's run, for `foundation validate` (REQ-0.5/M1): .foundation/ci/last-test-run.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunRecordInput {
  readonly cwd: string;
  readonly startedAt: Date;
  /** FOUNDATION_CI_STARTED (Unix seconds), set by `.ci/run`: the pipeline's time, installs included. */
  readonly ciStarted: string | undefined;
  readonly ci: boolean;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Each file's process time, slowest first (paths relative to cwd). */
  readonly files?: readonly { readonly file: string; readonly seconds: number }[];
}

/** Writes the record; the reason it could not, or null. */
export function recordRun(input: RunRecordInput, now = Date.now()): string | null {
  const ciStarted = Number(input.ciStarted ?? 'NaN');
  const record = {
    v: 1,
    startedAt: input.startedAt.toISOString(),
    durationMs: now - input.startedAt.getTime(),
    ...(Number.isFinite(ciStarted) && ciStarted > 0 ? { pipelineMs: now - ciStarted * 1000 } : {}),
    ci: input.ci,
    passed: input.passed,
    failed: input.failed,
    skipped: input.skipped,
    node: process.versions.node,
    ...(input.files === undefined
      ? {}
      : { fileSeconds: Object.fromEntries(input.files.map((f) => [f.file, f.seconds])) }),
  };
  try {
    const dir = join(input.cwd, '.foundation', 'ci');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'last-test-run.json'), `${JSON.stringify(record, null, 2)}\n`);
    return null;
  } catch (error) {
    return String(error);
  }
}
