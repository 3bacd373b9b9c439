/** The one table of process exit codes. Every command maps its result through here. */
export const EXIT = Object.freeze({
  /** Everything converged (or the command succeeded). */
  ok: 0,
  /** An unexpected error: a bug, or something no code anticipated. */
  unexpected: 1,
  /** Usage or configuration error: unknown task, bad flag, invalid .env, malformed file. */
  usage: 2,
  /** `plan` found drift: something would change. */
  drift: 3,
  /** A task failed or was blocked. */
  taskFailed: 4,
  /** The run was cancelled (Ctrl+C / SIGTERM). 128 + SIGINT, as shells report it. */
  cancelled: 130,
});

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
