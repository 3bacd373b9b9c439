import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatError, writeCause } from '../errors.js';
import { makeFolder } from './folder.js';
import type { RunEvent } from '../report/events.js';
import type { RunSummary } from '../report/summary.js';

export const RUNS_DIR = join('.foundation', 'runs');

/** `20261123T091500Z-3fa2`: sortable by time, unique enough for one workspace. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** One line of a task log for an event, or null when the event says nothing about that task. */
function logLine(event: RunEvent): string | null {
  switch (event.type) {
    case 'task:waiting':
      return `waiting for ${event.on.join(', ')}`;
    case 'task:phase':
      return event.attempt > 1 ? `${event.phase} (attempt ${event.attempt})` : event.phase;
    case 'task:output':
      return `${{ debug: '.', info: ' ', warn: '!' }[event.level]} ${event.line}`;
    case 'task:retry':
      return `attempt ${event.attempt} failed, retrying: ${formatError(event.error)}`;
    case 'task:end':
      return [
        `${event.outcome} in ${event.durationMs} ms`,
        event.reason,
        event.error && formatError(event.error),
      ]
        .filter(Boolean)
        .join(' — ');
    default:
      return null;
  }
}

/**
 * `.foundation/runs/<run-id>/`: events.jsonl (every event, as streamed), `<task-id>.log` (one per task),
 * summary.json; `.foundation/runs/latest` points at the newest run. Events arrive already redacted.
 */
export class RunStore {
  readonly dir: string;

  constructor(
    private readonly workspace: string,
    readonly runId: string,
  ) {
    this.dir = join(workspace, RUNS_DIR, runId);
    makeFolder(this.dir, 'where each run keeps its logs');
  }

  /** The run directory relative to the workspace, for messages. */
  get relativeDir(): string {
    return relative(this.workspace, this.dir);
  }

  /** Why the record is incomplete (a full disk, a `latest` in the way), each part once; said after the run. */
  readonly lost: string[] = [];
  private readonly failed = new Set<string>();

  /** A write of the record: one that fails never ends the run; a part that failed is not tried again. */
  private record(what: string, write: () => void): void {
    if (this.failed.has(what)) return;
    try {
      write();
    } catch (error) {
      this.failed.add(what);
      this.lost.push(recordProblem(what, error));
    }
  }

  readonly sink = (event: RunEvent): void => {
    this.record('events', () => {
      appendFileSync(join(this.dir, 'events.jsonl'), `${JSON.stringify(event)}\n`);
      if (event.type === 'run:start') {
        for (const task of event.tasks) appendFileSync(this.logPath(task.id), `# ${task.id} ${task.title}\n`);
        return;
      }
      if (!('id' in event)) return;
      const line = logLine(event);
      if (line !== null) appendFileSync(this.logPath(event.id), `${event.ts} ${line}\n`);
    });
  };

  writeSummary(summary: RunSummary): void {
    this.record('summary', () => {
      writeFileSync(join(this.dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    });
    this.record('latest', () => {
      pointLatest(join(this.workspace, RUNS_DIR), this.runId);
    });
  }

  writeFile(name: string, content: string): void {
    this.record(name, () => {
      writeFileSync(join(this.dir, name), content);
    });
  }

  private logPath(id: string): string {
    return join(this.dir, `${id}.log`);
  }
}

/** What a failed write of the run's record means, and what to do. Pure. */
export function recordProblem(what: string, error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const cause = writeCause(error).replace(' — free some space', '');
  return what === 'latest'
    ? `.foundation/runs/latest could not be pointed at this run (${cause}): remove it (rm -r .foundation/runs/latest) and the next run makes it again`
    : `this run's record (${what}) could not be written: ${cause}${e.code === 'ENOSPC' || e.code === 'EDQUOT' ? ' — free some space' : ''}; the run went on, its outcome is in the recap`;
}

/** Point `<parent>/latest` at `<parent>/<id>`, atomically (a new link renamed over the old one). */
export function pointLatest(parent: string, id: string): void {
  const latest = join(parent, 'latest');
  const temp = `${latest}.${id}.tmp`;
  rmSync(temp, { force: true });
  symlinkSync(id, temp);
  try {
    renameSync(temp, latest); // a folder named latest (a copy that followed the link) refuses it
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * The last run's summary (`.foundation/runs/latest/summary.json`), or null when there is none. One that
 * cannot be read (cut short, edited by hand) is null too, and `warn` says why.
 */
export function readLatestSummary(
  workspace: string,
  warn: (line: string) => void = () => undefined,
): RunSummary | null {
  const path = join(RUNS_DIR, 'latest', 'summary.json');
  let text: string;
  try {
    text = readFileSync(join(workspace, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT')
      warn(`${path} cannot be read (${code ?? String(error)}): the last run's outcomes are not shown`);
    return null;
  }
  try {
    const summary = JSON.parse(text) as RunSummary | null;
    if (Array.isArray(summary?.tasks)) return summary;
    warn(`${path} has no task list: the last run's outcomes are not shown`);
  } catch {
    warn(`${path} is not valid JSON (cut short or edited?): the last run's outcomes are not shown`);
  }
  return null;
}
