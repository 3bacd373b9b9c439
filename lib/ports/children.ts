/** What stopping the child processes of a cancelled run took. */
export interface ChildrenStopped {
  /** Process groups that ended by themselves within the grace period (after SIGTERM). */
  readonly waited: number;
  /** Process groups still running after the grace period: SIGKILLed. */
  readonly killed: number;
  readonly graceMs: number;
}

/**
 * Every child process the CLI started (through the shell adapter, the CI step runner, tar): each leads
 * its own process group, tracked while any process of it runs.
 */
export interface ChildProcesses {
  /**
   * Stop them all: SIGTERM to each group not yet told, wait up to graceMs (default: the configured grace)
   * for every group to end, then SIGKILL what remains and wait for it to be gone. Children started
   * afterwards are killed at once.
   */
  settle(graceMs?: number): Promise<ChildrenStopped>;
}
