// The log of an identity-provider outage: one warning when tokens cannot be checked for lack of signing
// keys (where they were looked for and why), one line when tokens are checked against keys again, with how
// many calls were refused in between. Under load an outage would otherwise write a line per request.
import type { Logger } from 'pino';

export interface KeysOutageLog {
  /** A token could not be checked: the keys were out of reach (`reason` is jose's message). */
  unreachable(reason: string): void;
  /** A token was checked against a key (accepted, or refused for its signature or claims). */
  checked(): void;
}

export interface KeysOutageOptions {
  readonly logger: Logger;
  /** The JWKS origin (never its path or query, which may carry a tenant's key). */
  readonly jwks: string;
  /**
   * At most one warning per this interval (default one minute): an outage that starts sooner after the
   * last warning is warned about at its first failure once the interval has passed.
   */
  readonly quietMs?: number;
  readonly now?: () => number;
}

export function keysOutageLog(options: KeysOutageOptions): KeysOutageLog {
  const { logger, jwks } = options;
  const now = options.now ?? Date.now;
  const quietMs = options.quietMs ?? 60_000;
  let down = false;
  let warned = false;
  let since = 0;
  let refused = 0;
  let lastWarned = -Infinity;
  let unwarned = 0;
  return {
    unreachable(reason) {
      const at = now();
      if (!down) {
        down = true;
        warned = false;
        since = at;
        refused = 0;
      }
      refused += 1;
      if (warned || at - lastWarned < quietMs) return;
      logger.warn(
        { jwks, reason, ...(unwarned > 0 ? { outagesNotLogged: unwarned } : {}) },
        'auth: cannot fetch the token signing keys: check AUTH_JWKS_URL and the identity provider',
      );
      warned = true;
      lastWarned = at;
      unwarned = 0;
    },
    checked() {
      if (!down) return;
      down = false;
      if (!warned) {
        unwarned += 1;
        return;
      }
      logger.info(
        { jwks, downMs: Math.round(now() - since), callsRefused: refused },
        'auth: tokens are checked against signing keys again',
      );
    },
  };
}
