import type { RunEvent } from '../report/events.js';
import { formatDuration } from '../report/summary.js';

/** One plain line per event, for logs and CI (no TTY, or CI=true). Returns null for silent events. */
export function plainLine(event: RunEvent): string | null {
  switch (event.type) {
    case 'run:start':
      return `foundation ${event.mode}: ${event.tasks.length} task(s), target ${event.target}, concurrency ${event.concurrency}`;
    case 'task:waiting':
      return `[${event.id}] waiting for ${event.on.join(', ')}`;
    case 'task:phase':
      return `[${event.id}] ${event.phase}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
    case 'task:output':
      if (event.level === 'debug') return null;
      return `[${event.id}] ${event.level === 'warn' ? '!' : '|'} ${event.line}`;
    case 'task:retry':
      return `[${event.id}] attempt ${event.attempt} failed (${event.error.code}: ${event.error.message}); retrying`;
    case 'task:end':
      return `[${event.id}] ${event.outcome} (${formatDuration(event.durationMs)})${event.reason ? ` — ${event.reason}` : ''}`;
    case 'run:end':
      return null;
  }
}

export function plainSink(write: (text: string) => void): (event: RunEvent) => void {
  return (event) => {
    const line = plainLine(event);
    if (line !== null) write(`${line}\n`);
  };
}

/** `--json`: every event as one JSON line, and nothing else on stdout. */
export function jsonSink(write: (text: string) => void): (event: RunEvent) => void {
  return (event) => {
    write(`${JSON.stringify(event)}\n`);
  };
}
