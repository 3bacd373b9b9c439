// Whether Redis is reachable, and the logs that say so: one warning when an outage starts and one line when
// it ends, however many calls fail in between (a down Redis under load would otherwise write a line per call).
import type { Logger } from 'pino';
import { scrub } from '../../telemetry/secret-values.js';
import { outage, type OutageOptions } from '../outage.js';

/** What may be logged of an error: its name, code and message with every secret replaced. */
export interface SafeError {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
}

export function safeError(error: unknown, secrets: readonly string[]): SafeError {
  const e = error instanceof Error ? error : new Error(String(error));
  const message = scrub(e.message, secrets);
  const code = (e as { code?: unknown }).code;
  return { name: e.name, ...(typeof code === 'string' ? { code } : {}), message };
}

export interface OutageState {
  /** False from the first failure until Redis answers again. */
  readonly up: boolean;
  /** The latest failure, secrets replaced (readiness says it); undefined before any. */
  readonly lastError: SafeError | undefined;
  /** A command failed, or the connection dropped or could not be made. */
  failed(error: unknown): void;
  /** The connection is ready, or a command succeeded. */
  recovered(): void;
}

export interface OutageStateOptions extends OutageOptions {
  readonly logger: Logger;
  readonly secrets: readonly string[];
}

export function outageState(options: OutageStateOptions): OutageState {
  const state = outage(options);
  let lastError: SafeError | undefined;
  return {
    get up() {
      return !state.down;
    },
    get lastError() {
      return lastError;
    },
    failed(error) {
      // A command refused because the client is not connected says nothing the cause did not: keep that.
      const refused = error instanceof Error && error.name === 'RedisUnavailableError';
      if (!refused || lastError === undefined) lastError = safeError(error, options.secrets);
      const warning = state.failed();
      if (warning === undefined) return;
      options.logger.warn(
        { error: lastError, ...warning },
        'redis unavailable: cache reads miss, writes are dropped, wrap calls its loader',
      );
    },
    recovered() {
      const end = state.ended();
      if (end !== undefined) options.logger.info({ downMs: end.downMs }, 'redis available again');
    },
  };
}
