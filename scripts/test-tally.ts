// The test runner's count, from node:test's run() events, as plain data: passed, failed, each skip with
// its reason, the files that registered tests, and per file the tests queued that have no result yet.
// Pure, so the closing line's rules are tested directly.
import { relative } from 'node:path';

/** The part of a node:test `test:pass` / `test:fail` event the count reads. */
export interface TestEventData {
  readonly name: string;
  readonly file?: string;
  readonly nesting: number;
  readonly skip?: boolean | string;
  readonly todo?: boolean | string;
  readonly details: { readonly type?: string; readonly error?: { readonly failureType?: string } };
}

export interface Skip {
  readonly file: string | undefined;
  readonly name: string;
  readonly reason: string;
}

export interface Tally {
  passed: number;
  failed: number;
  readonly skips: Skip[];
  readonly withTests: Set<string>;
  /** Per file, tests and suites queued whose result (pass, fail or skip) has not arrived. */
  readonly awaiting: Map<string, number>;
}

export const newTally = (): Tally => ({
  passed: 0,
  failed: 0,
  skips: [],
  withTests: new Set(),
  awaiting: new Map(),
});

/** A file's own entry: in process isolation each file is one test at nesting 0, named by its path. */
const isFileEntry = (d: { name: string; file?: string; nesting: number }): boolean =>
  d.nesting === 0 && d.file !== undefined && d.name === d.file;

const expect = (t: Tally, file: string | undefined, n: number): void => {
  if (file !== undefined) t.awaiting.set(file, (t.awaiting.get(file) ?? 0) + n);
};

/** A test or suite queued in a file's process: its result must arrive before the run ends. */
export function onEnqueue(t: Tally, d: QueueEventData): void {
  if (!isFileEntry(d)) expect(t, d.file, 1);
}

const reasonOf = (mark: boolean | string | undefined, kind: string): string =>
  typeof mark === 'string' && mark !== '' ? mark : `${kind} without a reason`;

/** A passing event: a test passed, or a test or a whole suite was skipped (or is a todo). */
export function onPass(t: Tally, d: TestEventData): void {
  // A file that registered no tests is reported as one passing "test" named after the file itself.
  if (isFileEntry(d)) return;
  expect(t, d.file, -1);
  if (d.file) t.withTests.add(d.file);
  if (d.skip !== undefined || d.todo !== undefined) {
    const reason = d.skip !== undefined ? reasonOf(d.skip, 'skipped') : `todo: ${reasonOf(d.todo, 'todo')}`;
    t.skips.push({ file: d.file, name: d.name, reason });
    return;
  }
  // A suite that ran is not a test of its own; its tests were counted one by one.
  if (d.details.type === 'suite') return;
  t.passed++;
}

export function onFail(t: Tally, d: TestEventData): void {
  if (!isFileEntry(d)) expect(t, d.file, -1);
  if (d.file) t.withTests.add(d.file);
  // A suite fails because a test in it failed: that test was counted already.
  if (d.details.type === 'suite' && d.details.error?.failureType === 'subtestsFailed') return;
  t.failed++;
}

export interface Closing {
  /** Lines to print before the closing line (files without tests, skips CI refuses). */
  readonly notes: string[];
  /** `N passed, N failed, N skipped`: the one line CI reads. */
  readonly line: string;
  readonly failed: number;
}

/**
 * The end of a run. A file that registered no tests is a failure, and so is each test a file queued whose
 * result never reached the runner (its process ended first: nodejs/node#64833 loses the tail of a file's
 * report that way, exit code 0). Under CI nothing may skip: each skip is named with its reason and counted
 * as a failure too (a missing server or tool in CI is a broken set-up, not a pass).
 */
export function closing(t: Tally, files: readonly string[], options: { ci: boolean; cwd: string }): Closing {
  const notes: string[] = [];
  const empty = files.filter((f) => !t.withTests.has(f));
  for (const f of empty) notes.push(`✖ ${relative(options.cwd, f)} registered no tests`);
  let failed = t.failed + empty.length;
  for (const [file, n] of [...t.awaiting].sort()) {
    if (n <= 0) continue;
    notes.push(`✖ ${relative(options.cwd, file)}: ${n} test(s) queued whose result never reached the runner`);
    failed += n;
  }
  if (options.ci && t.skips.length > 0) {
    notes.push(`✖ ${t.skips.length} skipped under CI=true, where nothing may skip:`);
    for (const s of t.skips) {
      notes.push(`  - ${s.file ? `${relative(options.cwd, s.file)} › ` : ''}${s.name}: ${s.reason}`);
    }
    failed += t.skips.length;
  }
  return { notes, line: `${t.passed} passed, ${failed} failed, ${t.skips.length} skipped`, failed };
}

/** The part of a node:test `test:dequeue` / `test:complete` event that says which test it is. */
export interface QueueEventData {
  readonly name: string;
  readonly file?: string;
  readonly nesting: number;
}

const fileEntry = (d: QueueEventData): string | null => (isFileEntry(d) ? (d.file ?? null) : null);

/** A file's process time: from its start (dequeue) to its end (complete), in seconds. */
export interface FileTime {
  readonly file: string;
  readonly seconds: number;
}

/**
 * The files whose process started and has not finished (what to name when a run is stopped early), and
 * how long each finished one took (the slowest are named at the end of a run). `at` is the event's time in
 * milliseconds, from the caller's clock.
 */
export function runningFiles(): {
  onDequeue(d: QueueEventData, at: number): void;
  onComplete(d: QueueEventData, at: number): void;
  readonly list: () => string[];
  readonly slowest: (n: number) => FileTime[];
} {
  const started = new Map<string, number>();
  const took: FileTime[] = [];
  return {
    onDequeue(d, at) {
      const file = fileEntry(d);
      if (file !== null) started.set(file, at);
    },
    onComplete(d, at) {
      const file = fileEntry(d);
      const since = file === null ? undefined : started.get(file);
      if (file === null || since === undefined) return;
      started.delete(file);
      took.push({ file, seconds: Math.round((at - since) / 100) / 10 });
    },
    list: () => [...started.keys()].sort(),
    slowest: (n) =>
      [...took].sort((a, b) => b.seconds - a.seconds || a.file.localeCompare(b.file)).slice(0, n),
  };
}
