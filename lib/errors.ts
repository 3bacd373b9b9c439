import { EXIT, type ExitCode } from './report/exit-codes.js';

/**
 * Stable error codes. A code never changes meaning once released; docs and tests refer to them.
 * Each maps to the exit code the CLI returns when the error ends a command.
 */
export const ERROR_CODES = {
  E_UNKNOWN_TASK: EXIT.usage,
  E_NOT_IMPLEMENTED: EXIT.usage,
  E_USAGE: EXIT.usage,
  E_CONFIG_INVALID: EXIT.usage,
  E_ENV_FILE_MALFORMED: EXIT.usage,
  E_TOPICS_FILE_MALFORMED: EXIT.usage,
  E_RELEASES_FILE_MALFORMED: EXIT.usage,
  E_GRAPH_INVALID: EXIT.usage,
  E_TARGET_EXISTS: EXIT.usage,
  E_TARGET_UNUSABLE: EXIT.usage,
  E_FOLDER_UNUSABLE: EXIT.usage,
  E_TOOL_MISSING: EXIT.taskFailed,
  E_TOOL_BROKEN: EXIT.taskFailed,
  E_PORT_IN_USE: EXIT.taskFailed,
  E_DOWNLOAD_FAILED: EXIT.taskFailed,
  E_CHECKSUM_MISMATCH: EXIT.taskFailed,
  E_INSTALL_BROKEN: EXIT.usage,
  E_COMMAND_TIMEOUT: EXIT.taskFailed,
  E_KAFKA_UNREACHABLE: EXIT.taskFailed,
  E_KAFKA_REFUSED: EXIT.usage,
  E_COMMAND_FAILED: EXIT.taskFailed,
  E_TASK_ERROR: EXIT.taskFailed,
  E_TASK_TIMEOUT: EXIT.taskFailed,
  E_WAIT_TIMEOUT: EXIT.taskFailed,
  E_NOT_CONVERGED: EXIT.taskFailed,
  E_DEPENDENCY_NOT_CONVERGED: EXIT.taskFailed,
  E_KUBE_NO_CONFIG: EXIT.taskFailed,
  E_KUBE_UNREACHABLE: EXIT.taskFailed,
  E_KUBE_FORBIDDEN: EXIT.taskFailed,
  E_KUBE_NOT_FOUND: EXIT.taskFailed,
  E_KUBE_CONFLICT: EXIT.taskFailed,
  E_KUBE_INVALID: EXIT.taskFailed,
  E_KUBE_ERROR: EXIT.taskFailed,
  E_CANCELLED: EXIT.cancelled,
  E_UNEXPECTED: EXIT.unexpected,
} as const satisfies Record<string, ExitCode>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The serialisable form of an error, as it appears in events, summaries and the recap. */
export interface ErrorInfo {
  readonly code: ErrorCode;
  readonly message: string;
  readonly fix?: string;
}

/** An error a user can meet: a stable code, what happened, and what fixes it. */
export class FoundationError extends Error {
  override readonly name = 'FoundationError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fix?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  get exitCode(): ExitCode {
    return ERROR_CODES[this.code];
  }

  toInfo(): ErrorInfo {
    return this.fix === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, fix: this.fix };
  }
}

/** Any thrown value as ErrorInfo; unknown errors become E_TASK_ERROR (or the given fallback code). */
export function toErrorInfo(error: unknown, fallback: ErrorCode = 'E_TASK_ERROR'): ErrorInfo {
  if (error instanceof FoundationError) return error.toInfo();
  if (error instanceof Error) return { code: fallback, message: error.message };
  return { code: fallback, message: String(error) };
}

/** One line for a human: `E_CODE: message` plus `fix: …` on the next line when known. */
export function formatError(info: ErrorInfo): string {
  return info.fix === undefined
    ? `${info.code}: ${info.message}`
    : `${info.code}: ${info.message}\n  fix: ${info.fix}`;
}

/** Why a write failed, in words (the disk is full — free some space; read-only; else the error). Pure. */
export function writeCause(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code === 'ENOSPC' || e.code === 'EDQUOT'
    ? 'the disk is full — free some space'
    : e.code === 'EROFS'
      ? 'the disk is read-only'
      : error instanceof Error
        ? error.message
        : String(error);
}
