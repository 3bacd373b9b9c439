// Whether Redis is reachable, and the logs that say so: one warning when an outage starts and one line when
// it ends, however many calls fail in between (a down Redis under load would otherwise write a line per call).
import type { Logger } from 'pino';

/** What may be logged of an error: its name, code and message with every secret replaced. */
export interface SafeError {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
}

/** The secrets a Redis URL carries (its password, raw and decoded), to scrub from messages. */
export function urlSecrets(url: string): string[] {
  const password = URL.canParse(url) ? new URL(url).password : '';
  if (password === '') return [];
  const decoded = decodeURIComponent(password);
  return [...new Set([url, password, decoded])].sort((a, b) => b.length - a.length);
}

export function safeError(error: unknown, secrets: readonly string[]): SafeError {
  const e = error instanceof Error ? error : new Error(String(error));
  let message = e.message;
  for (const secret of secrets) message = message.split(secret).join('***');
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

export interface OutageOptions {
  readonly logger: Logger;
  readonly secrets: readonly string[];
  /**
   * At most one warning per this interval (default one minute): an outage that starts sooner after the
   * last warning is warned about at its first failure once the interval has passed.
   */
  readonly quietMs?: number;
  readonly now?: () => number;
}

export function outageState(options: OutageOptions): OutageState {
  const now = options.now ?? Date.now;
  const quietMs = options.quietMs ?? 60_000;
  let up = true;
  let lastError: SafeError | undefined;
  let since = 0;
  let lastLogged = -Infinity;
  let logged = false;
  let unlogged = 0;
  return {
    get up() {
      return up;
    },
    get lastError() {
      return lastError;
    },
    failed(error) {
      // A command refused because the client is not connected says nothing the cause did not: keep that.
      const refused = error instanceof Error && error.name === 'RedisUnavailableError';
      if (!refused || lastError === undefined) lastError = safeError(error, options.secrets);
      const at = now();
      if (up) {
        up = false;
        since = at;
        logged = false;
      }
      // Warned at its first failure outside the quiet interval: an outage that began inside it is warned
      // about once the interval has passed, not left unlogged however long it lasts.
      if (logged || at - lastLogged < quietMs) return;
      options.logger.warn(
        {
          error: lastError,
          ...(unlogged > 0 ? { outagesNotLogged: unlogged } : {}),
        },
        'redis unavailable: cache reads miss, writes are dropped, wrap calls its loader',
      );
      logged = true;
      lastLogged = at;
      unlogged = 0;
    },
    recovered() {
      if (up) return;
      up = true;
      if (logged) options.logger.info({ downMs: Math.round(now() - since) }, 'redis available again');
      else unlogged += 1;
    },
  };
}
