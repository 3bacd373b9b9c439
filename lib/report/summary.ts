import { ERROR_CODES, formatError } from '../errors.js';
import type { Outcome, TaskResult } from '../model/outcome.js';
import type { Target } from '../model/task.js';
import type { ChildrenStopped } from '../ports/children.js';
import { EVENT_SCHEMA_VERSION, type RunMode } from './events.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { PLAIN, type Style, type Styler } from '../ui/style.js';
import { formatTable } from '../ui/table.js';
import type { Endpoint } from '../endpoints/list.js';
import { endpointRecapLines } from '../endpoints/recap.js';

export type RunCommand = 'all' | 'run' | 'plan';

/** summary.json: the whole run as data. The recap and the completion report are rendered from it. */
export interface RunSummary {
  readonly v: number;
  readonly runId: string;
  readonly mode: RunMode;
  /**
   * The command that made the run: `all` (every task of the target), `run <ids>` or `plan`. Absent in
   * summaries written before it was recorded.
   */
  readonly command?: RunCommand;
  readonly target: Target;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly exitCode: ExitCode;
  readonly counts: Readonly<Partial<Record<Outcome, number>>>;
  readonly tasks: readonly TaskResult[];
  /** Where the run's files are (events.jsonl, summary.json, <id>.log), relative to the workspace. */
  readonly runDir: string;
  /** A cancelled run: the child processes still running at Ctrl+C, waited for or killed before the recap. */
  readonly stopped?: ChildrenStopped;
  /** `foundation all` only: the checkout it started from (validate's REQ-0.4/AC5 looks for a fresh clone). */
  readonly checkout?: Checkout;
}

/** A workspace as a run found it at its start. */
export interface Checkout {
  /** The commit (abbreviated); null before the first commit. */
  readonly head: string | null;
  /** Files that differ from the commit (untracked, changed…; ignored ones aside). */
  readonly uncommitted: number;
  /** Whether .env was there already (a fresh clone has none: task 0-1 writes it). */
  readonly envExisted: boolean;
  /** Whether no run (plans aside) was recorded in this workspace before. */
  readonly firstRun: boolean;
}

/** A checkout as a fresh clone leaves it: a commit, nothing changed, no .env, no run before. Pure. */
export const isFreshClone = (c: Checkout | undefined): c is Checkout & { head: string } =>
  c !== undefined && c.head !== null && c.uncommitted === 0 && !c.envExisted && c.firstRun;

export function countOutcomes(results: readonly TaskResult[]): Partial<Record<Outcome, number>> {
  const counts: Partial<Record<Outcome, number>> = {};
  for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  return counts;
}

/** The exit code of a run or plan, from the table. Pure. */
export function exitCodeFor(mode: RunMode, results: readonly TaskResult[]): ExitCode {
  const has = (...outcomes: Outcome[]): boolean => results.some((r) => outcomes.includes(r.outcome));
  if (has('cancelled')) return EXIT.cancelled;
  // A task that failed on bad input (a malformed file it reads) is a configuration error: exit 2.
  if (results.some((r) => r.outcome === 'failed' && r.error && ERROR_CODES[r.error.code] === EXIT.usage))
    return EXIT.usage;
  if (has('failed')) return EXIT.taskFailed;
  if (mode === 'plan') return has('would-change', 'pending-upstream', 'blocked') ? EXIT.drift : EXIT.ok;
  return has('blocked', 'would-change') ? EXIT.taskFailed : EXIT.ok;
}

export function buildSummary(fields: Omit<RunSummary, 'v' | 'counts' | 'exitCode'>): RunSummary {
  return {
    v: EVENT_SCHEMA_VERSION,
    ...fields,
    exitCode: exitCodeFor(fields.mode, fields.tasks),
    counts: countOutcomes(fields.tasks),
  };
}

const OUTCOME_STYLE: Readonly<Record<Outcome, Style | null>> = {
  ok: 'good',
  changed: 'changed',
  'would-change': 'warn',
  'pending-upstream': 'dim',
  failed: 'bad',
  blocked: 'bad',
  skipped: 'dim',
  cancelled: 'warn',
};

const ICON: Record<Outcome, string> = {
  ok: '✔',
  changed: '✚',
  'would-change': '~',
  'pending-upstream': '…',
  failed: '✖',
  blocked: '⊘',
  skipped: '↷',
  cancelled: '◼',
};

/** A time always in seconds, one decimal (`41.2 s`): for stage and step tables that line up. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

/** `Stopped 2 child processes: 1 ended on SIGTERM, 1 killed after 5.0 s.` — null when none was running. */
export function formatStopped(s: ChildrenStopped): string | null {
  const n = s.waited + s.killed;
  if (n === 0) return null;
  const parts = [
    ...(s.waited > 0 ? [`${s.waited} ended on SIGTERM`] : []),
    ...(s.killed > 0 ? [`${s.killed} killed after ${seconds(s.graceMs)}`] : []),
  ];
  return `Stopped ${n === 1 ? '1 child process' : `${n} child processes`}: ${parts.join(', ')}.`;
}

/**
 * The recap printed at the end of every run: one row per task (id, title, outcome, duration), then what
 * went wrong with the fix and the log to read, then the totals, and last the platform UIs this run made
 * available (default: the target's own addresses). Pure: same summary, same text.
 */
export function formatRecap(
  summary: RunSummary,
  order: 'graph' | 'slowest' = 'graph',
  styler: Styler = PLAIN,
  endpoints?: readonly Endpoint[],
): string {
  const rows = [...summary.tasks];
  if (order === 'slowest') rows.sort((a, b) => b.durationMs - a.durationMs);
  const table = formatTable(
    [
      ['id', 'title', 'outcome', 'duration'],
      ...rows.map((r) => [
        r.id,
        r.gate ? `${r.title} (dependency, checked only)` : r.title,
        `${ICON[r.outcome]} ${r.outcome}`,
        formatDuration(r.durationMs),
      ]),
    ],
    {
      indent: 2,
      styler,
      style: (column, _cell, index) => {
        const outcome = rows[index - 1]?.outcome;
        return outcome === undefined ? 'heading' : column === 2 ? OUTCOME_STYLE[outcome] : null;
      },
    },
  );
  const out = [styler('heading', `Recap (${summary.mode}, target ${summary.target})`), ...table];
  const problems = rows.filter(
    (r) => r.outcome !== 'ok' && r.outcome !== 'changed' && r.outcome !== 'skipped',
  );
  if (problems.length > 0) out.push('', 'Needs attention:');
  for (const r of problems) {
    // A failure whose reason is its error's message says it once: the code, the message, the fix.
    const sameAsError = r.outcome === 'failed' && r.error !== undefined && r.reason === r.error.message;
    const head = styler(OUTCOME_STYLE[r.outcome] ?? 'heading', `${r.id} ${r.outcome}`);
    out.push(`  ${head}: ${sameAsError ? '' : (r.reason ?? '')}`.trimEnd());
    if (r.diff !== undefined) out.push(...r.diff.split('\n').map((l) => `      ${l}`));
    if (r.error && r.outcome === 'failed')
      out.push(`      ${formatError(r.error).replace(/\n/g, '\n      ')}`);
    if (r.hint !== undefined && r.hint !== r.error?.fix)
      out.push(`      fix: ${r.hint.replace(/\n/g, '\n           ')}`);
    const ranItself = r.outcome === 'failed' || (r.outcome === 'blocked' && r.rootCause === undefined);
    if (ranItself) out.push(`      log: ${summary.runDir}/${r.id}.log`);
  }
  const stopped = summary.stopped === undefined ? null : formatStopped(summary.stopped);
  if (stopped !== null) out.push('', stopped);
  const counts = Object.entries(summary.counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  out.push(
    '',
    `${counts} in ${formatDuration(summary.durationMs)} — exit ${summary.exitCode}. Logs: ${summary.runDir}/`,
    // Last: where the UIs this run made available are (lib/endpoints).
    ...endpointRecapLines(summary, endpoints, styler),
  );
  return out.join('\n');
}
