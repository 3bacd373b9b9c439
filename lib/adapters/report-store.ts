import { FoundationError } from '../errors.js';
import { accessSync, constants, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { RunEvent } from '../report/events.js';
import type { RunSummary } from '../report/summary.js';
import type { Redactor } from '../redact.js';
import { TEST_RUN_FILE, type TestRunRecord } from '../validate/ci-evidence.js';
import type { ReportStore } from '../validate/context.js';
import { RUNS_DIR, pointLatest } from './run-store.js';
import { makeFolder } from './folder.js';
import { kernelFilesystem } from '../generator/target.js';
import { placeOf } from './target-dir.js';

export const REPORTS_DIR = join('.foundation', 'reports');

/** Every recorded run's summary (.foundation/runs/<id>/summary.json), oldest first; unreadable ones skipped. */
export function readRunSummaries(workspace: string): RunSummary[] {
  let ids: string[];
  try {
    ids = readdirSync(join(workspace, RUNS_DIR)).filter((d) => d !== 'latest');
  } catch {
    return [];
  }
  return ids
    .flatMap((id) => {
      try {
        const parsed: unknown = JSON.parse(
          readFileSync(join(workspace, RUNS_DIR, id, 'summary.json'), 'utf8'),
        );
        return isSummary(parsed) ? [parsed] : [];
      } catch {
        return [];
      }
    })
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** Valid JSON is not yet a summary (`null`, `{}`, a hand edit): what the probes read must be there. */
function isSummary(v: unknown): v is RunSummary {
  const r = v as Record<string, unknown> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.runId === 'string' &&
    typeof r.startedAt === 'string' &&
    typeof r.target === 'string' &&
    typeof r.counts === 'object' &&
    r.counts !== null &&
    Array.isArray(r.tasks) &&
    r.tasks.every(
      (t: unknown) => typeof t === 'object' && t !== null && typeof (t as { id?: unknown }).id === 'string',
    )
  );
}

/** A run's events (events.jsonl), or none. */
export function readRunEvents(workspace: string, runId: string): RunEvent[] {
  try {
    // Line by line: one line cut short (a full disk, a kill) loses that line, not the whole timeline.
    return readFileSync(join(workspace, RUNS_DIR, runId, 'events.jsonl'), 'utf8')
      .split('\n')
      .flatMap((l) => {
        try {
          return l.trim() === '' ? [] : [JSON.parse(l) as RunEvent];
        } catch {
          return [];
        }
      });
  } catch {
    return [];
  }
}

/**
 * Write the report as phase0-report.md and .json into `out`, or .foundation/reports/<id>/ with a `latest`
 * link beside it. Returns the folder, relative to the workspace when inside it.
 */
export function writeReport(workspace: string, id: string, md: string, json: string, out?: string): string {
  const dir = out === undefined ? join(workspace, REPORTS_DIR, id) : resolve(workspace, out);
  makeFolder(dir, 'where validate writes its report');
  writeFileSync(join(dir, 'phase0-report.md'), md);
  writeFileSync(join(dir, 'phase0-report.json'), json);
  if (out === undefined) pointLatest(join(workspace, REPORTS_DIR), id);
  const rel = relative(workspace, dir);
  return rel.startsWith('..') ? dir : rel;
}

/**
 * `validate --out <dir>` checked before the run, not after it: the folder is made now (as writing would),
 * so a file in the way, a place no one may write to or an empty path is a usage error while nothing was
 * measured yet.
 */
export function prepareOutDir(dir: string): void {
  const refuse = (why: string): never => {
    throw new FoundationError(
      'E_USAGE',
      `--out ${dir === '' ? '""' : dir}: ${why}`,
      'give --out a folder you can write to (the report is phase0-report.md and .json in it)',
    );
  };
  if (dir.trim() === '') refuse('an empty path');
  let isDir: boolean | null = null;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // not there yet: made below
  }
  if (isDir === false) refuse('it is a file, not a folder');
  // Before mkdir: Node's recursive mkdir never returns under /proc (it loops on the kernel's answer).
  const resolved = resolve(dir);
  const kernel = kernelFilesystem(placeOf(isDir === true ? resolved : dirname(resolved)));
  if (kernel !== null) refuse(kernel);
  try {
    // A file further up (`--out notes.txt/report`) or a folder no one may write in: makeFolder names it.
    makeFolder(dir, 'where validate --out writes its report');
    accessSync(dir, constants.W_OK);
  } catch (error) {
    if (error instanceof FoundationError) throw error;
    // Anything else (a name too long, a loop of links, a full disk): a usage error all the same.
    refuse(`it cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The stores task 0-13 reads and writes, in the workspace; everything written passes the redactor. */
export function createReportStore(workspace: string, redactor: Redactor): ReportStore {
  return {
    runs: () => readRunSummaries(workspace),
    events: (runId) => readRunEvents(workspace, runId),
    write: (id, md, json, out) => writeReport(workspace, id, redactor.redact(md), redactor.redact(json), out),
    latest: () => readOrNull(join(workspace, REPORTS_DIR, 'latest', 'phase0-report.json')),
    testRun: () => {
      const text = readOrNull(join(workspace, TEST_RUN_FILE));
      try {
        return text === null ? null : (JSON.parse(text) as TestRunRecord);
      } catch {
        return null;
      }
    },
  };
}
