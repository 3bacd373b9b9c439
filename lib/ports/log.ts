/** Where a task's lines go: its log file and the live view. Secrets are masked downstream. */
export interface TaskLogger {
  /** A line for the task's log and live output. */
  info(line: string): void;
  warn(line: string): void;
  /** A line for the task's log and events only (commands run, their quiet output). */
  debug(line: string): void;
}
