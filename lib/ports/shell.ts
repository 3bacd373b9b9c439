/** How a command runs. */
export interface ShellOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly input?: string;
  /** Show each output line live (default true); otherwise it goes to the task log only. */
  readonly stream?: boolean;
  /**
   * stdout is data for the caller (a tool's JSON), not lines for anyone to read: with `stream: false`,
   * only its size goes to the task log (a resolved Compose file is hundreds of lines). stderr still does.
   */
  readonly data?: boolean;
  /** Kill it after this long (exec: E_COMMAND_TIMEOUT). Default: only the task's own time limit. */
  readonly timeoutMs?: number;
}

export interface ShellResult {
  /** Process exit code; null when it was killed by a signal. 127 when the command was not found. */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The one way to run an external program (docker, kubectl, helm, k3d, git, npm…), used by the adapters.
 * `run` never throws for a non-zero exit; `exec` classifies every failure in one place and throws a
 * FoundationError: E_TOOL_MISSING (not on PATH: the fix installs it), E_TOOL_BROKEN (found but cannot
 * run: a broken install), E_COMMAND_FAILED (non-zero exit, with the first lines of stderr),
 * E_COMMAND_TIMEOUT, E_CANCELLED.
 */
export interface Shell {
  run(command: string, args: readonly string[], options?: ShellOptions): Promise<ShellResult>;
  exec(
    command: string,
    args: readonly string[],
    options?: ShellOptions & { fix?: string },
  ): Promise<ShellResult>;
  /** Absolute path of a command on PATH, or null. */
  which(command: string): Promise<string | null>;
}
