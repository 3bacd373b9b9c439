import type { RunEvent } from '../report/events.js';
import { REQUIREMENTS } from './criteria.js';
import type { Hop } from './e2e.js';
import { boundText, figure, type Finding, type Status, type Verdict } from './judge.js';

/** Version of the report's JSON. Bumped on any incompatible change. */
export const REPORT_SCHEMA_VERSION = 2;

/** One task of the last `all` run, relative to the run's start. */
export interface TimelineTask {
  readonly id: string;
  readonly title: string;
  readonly outcome: string;
  readonly startMs: number;
  readonly durationMs: number;
}

export interface Report {
  readonly v: number;
  readonly generatedAt: string;
  readonly target: string;
  readonly verdict: Verdict;
  /** What was asked: the flags that leave measurements out or allow restarts. */
  readonly options: {
    readonly skipPerf: boolean;
    readonly restartBroker: boolean;
    readonly restartCluster: boolean;
  };
  readonly counts: Readonly<Record<Status, number>>;
  readonly findings: readonly Finding[];
  /** The end-to-end probe, hop by hop (empty when it could not start). */
  readonly endToEnd: readonly Hop[];
  /** The tasks' state when the report was made (their checks, read only). */
  readonly tasks: readonly { readonly id: string; readonly outcome: string; readonly reason?: string }[];
  readonly timeline: { readonly runId: string; readonly tasks: readonly TimelineTask[] } | null;
  readonly environment: Readonly<Record<string, string>>;
}

/** The timeline of a run from its events: when each task started working and how long it took. Pure. */
export function timelineFrom(events: readonly RunEvent[]): TimelineTask[] {
  const start = events.find((e) => e.type === 'run:start');
  if (start === undefined) return [];
  const t0 = Date.parse(start.ts);
  const begun = new Map<string, number>();
  const out: TimelineTask[] = [];
  for (const e of events) {
    if (e.type === 'task:phase' && !begun.has(e.id)) begun.set(e.id, Date.parse(e.ts) - t0);
    if (e.type === 'task:end') {
      const startMs = begun.get(e.id) ?? Math.max(0, Date.parse(e.ts) - t0 - e.durationMs);
      out.push({ id: e.id, title: e.title, outcome: e.outcome, startMs, durationMs: e.durationMs });
    }
  }
  return out;
}

export function countStatuses(findings: readonly Finding[]): Record<Status, number> {
  const counts: Record<Status, number> = { PASS: 0, FAIL: 0, 'NOT MEASURED': 0 };
  for (const f of findings) counts[f.status]++;
  return counts;
}

const ICON: Record<Status, string> = { PASS: '✅ PASS', FAIL: '❌ FAIL', 'NOT MEASURED': '➖ NOT MEASURED' };
/** A table cell: one line, pipes escaped. */
const cell = (text: string): string => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
const code = (text: string | undefined): string => (text ? `\`${cell(text).replace(/`/g, "'")}\`` : '');

function requirementTable(findings: readonly Finding[]): string[] {
  const rows = findings.map((f) => {
    const why = f.status === 'FAIL' && f.fix ? `${f.evidence} — fix: ${f.fix}` : f.evidence;
    return `| ${f.id.slice(f.id.indexOf('/') + 1)} | ${cell(f.text)} | ${ICON[f.status]}${f.byChoice ? ' (by choice)' : f.beyondReach ? ` (${f.beyondReach})` : ''} | ${cell(why)} | ${code(f.how)} |`;
  });
  return ['| id | criterion | status | evidence | how |', '| --- | --- | --- | --- | --- |', ...rows];
}

function gantt(timeline: NonNullable<Report['timeline']>): string[] {
  const rows = timeline.tasks.map((t) => {
    const state = t.outcome === 'failed' ? 'crit' : t.outcome === 'skipped' ? 'done' : 'active';
    const title = `${t.id} ${t.title}`.replace(/[:#;]/g, ' ');
    return `  ${title} :${state}, ${Math.round(t.startMs)}, ${Math.max(1, Math.round(t.durationMs))}ms`;
  });
  return [
    '```mermaid',
    'gantt',
    `  title Last foundation all run (${timeline.runId})`,
    '  dateFormat x',
    '  axisFormat %M:%S',
    ...rows,
    '```',
  ];
}

/** The report as Markdown that renders on GitHub: verdict, a table per requirement, figures, timeline, environment. Pure. */
export function renderMarkdown(r: Report): string {
  const out = [
    '# Phase 0 completion report',
    '',
    `**Verdict: ${r.verdict}** — ${r.counts.PASS} PASS, ${r.counts.FAIL} FAIL, ${r.counts['NOT MEASURED']} NOT MEASURED · target \`${r.target}\` · ${r.generatedAt}`,
    '',
  ];
  const flags = [
    r.options.skipPerf ? '`--skip-perf`: the load measurements were left out' : null,
    r.options.restartBroker
      ? '`--restart-broker`: a broker restart was tried (REQ-0.2/AC5 says how it went)'
      : null,
    r.options.restartCluster
      ? '`--restart-cluster`: a cluster stop and start was tried (REQ-0.1/AC3 says how it went)'
      : null,
  ].filter((x) => x !== null);
  if (flags.length > 0) out.push(`Options: ${flags.join('; ')}.`, '');
  const failed = r.findings.filter((f) => f.status === 'FAIL');
  if (failed.length > 0) {
    out.push('## Needs attention', '');
    for (const f of failed)
      out.push(
        `- **${f.id}** ${cell(f.text)}: ${cell(f.evidence)}${f.fix ? ` — fix: \`${cell(f.fix)}\`` : ''}`,
      );
    out.push('');
  }
  for (const req of REQUIREMENTS) {
    out.push(
      `## ${req.id} ${req.title}`,
      '',
      ...requirementTable(r.findings.filter((f) => f.requirement === req.id)),
      '',
    );
  }
  const figures = r.findings.filter((f) => f.bound !== undefined);
  out.push(
    '## Figures against their bounds',
    '',
    '| id | measured | bound | status |',
    '| --- | --- | --- | --- |',
  );
  for (const f of figures)
    out.push(
      `| ${f.id} | ${f.measured ? figure(f.measured.value, f.measured.unit) : '—'} | ${f.bound ? boundText(f.bound) : ''} | ${ICON[f.status]} |`,
    );
  out.push('');
  if (r.endToEnd.length > 0) {
    out.push(
      '## End-to-end probe',
      '',
      'One event through the demo service, then its evidence hop by hop. `after`: for `published` the POST itself; for the others the time from the POST’s answer until the evidence was found (or the hop gave up).',
      '',
      '| hop | found | after | query | detail |',
      '| --- | --- | --- | --- | --- |',
      ...r.endToEnd.map(
        (h) =>
          `| ${h.name} | ${h.found ? '✅ yes' : '❌ no'} | ${figure(h.ms, 'ms')} | ${code(h.query)} | ${cell(h.detail)} |`,
      ),
      '',
    );
  }
  if (r.timeline !== null && r.timeline.tasks.length > 0)
    out.push('## Timeline', '', ...gantt(r.timeline), '');
  out.push(
    '## Tasks',
    '',
    '| task | state |',
    '| --- | --- |',
    ...r.tasks.map((t) => `| ${t.id} | ${cell(t.outcome + (t.reason ? `: ${t.reason}` : ''))} |`),
    '',
  );
  out.push(
    '## Environment',
    '',
    '| | |',
    '| --- | --- |',
    ...Object.entries(r.environment).map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`),
    '',
  );
  return out.join('\n');
}
