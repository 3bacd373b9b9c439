/** The one table of process exit codes. Every command maps its result through here. */
export const EXIT = Object.freeze({
  /** Everything converged (or the command succeeded). */
  ok: 0,
  /** An unexpected error: a bug, or something no code anticipated. */
  unexpected: 1,
  /**
   * A helper script that asks before deleting was not told yes (nothing was deleted): 1, as apt or npm
   * say a declined prompt. The same number as `unexpected`; its meaning below says both.
   */
  declined: 1,
  /** Usage or configuration error: unknown task, bad flag, invalid .env, malformed file. */
  usage: 2,
  /** `plan` found drift: something would change (`status`: a UI does not answer). */
  drift: 3,
  /** A task failed or was blocked. */
  taskFailed: 4,
  /** The run was cancelled (Ctrl+C / SIGTERM). 128 + SIGINT, as shells report it. */
  cancelled: 130,
  /**
   * The reader of the output went away before it was all written (`| head -1` on more output than a pipe
   * holds): 128 + SIGPIPE, what shells report for any tool.
   */
  brokenPipe: 141,
});

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each exit code means, in one line: for `--help` and the docs (generated from here). */
export const EXIT_MEANINGS: Readonly<Record<ExitCode, string>> = {
  [EXIT.ok]: 'converged, or the command succeeded',
  [EXIT.unexpected]:
    'unexpected error (a bug): FOUNDATION_DEBUG=1 shows the stack trace; for the helper scripts that ask before deleting, also "not confirmed" (nothing deleted)',
  [EXIT.usage]: 'usage or configuration error: unknown task, bad option, invalid .env, malformed file',
  [EXIT.drift]:
    '`plan` found drift (something would change, or a step is blocked until another converges); `validate`: INCOMPLETE; `status`: a UI is down or slow',
  [EXIT.taskFailed]: 'a task failed or is blocked (`run`, `all`); `validate`: FAIL',
  [EXIT.cancelled]: 'cancelled (Ctrl+C or SIGTERM)',
  [EXIT.brokenPipe]:
    'the reader of the output went away before it was all written (a pipe closed early), as for any tool',
};
