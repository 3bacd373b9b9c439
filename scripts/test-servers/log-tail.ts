import { readFileSync } from 'node:fs';

/** The last lines of a server's log, for the error that says why it stopped; `(no log)` without one. */
export function lastLines(path: string, count: number): string[] {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-count);
  } catch {
    return ['(no log)'];
  }
}
