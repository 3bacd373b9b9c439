// The log of an identity-provider outage: one warning when tokens first fail for lack of signing keys
// (where they were looked for and why), one line when a token is accepted again with how many calls were
// refused in between. Under load an outage would otherwise write a line per request.
import type { Logger } from 'pino';

export interface KeysOutageLog {
  /** A token could not be checked: the keys were out of reach (`reason` is jose's message). */
  unreachable(reason: string): void;
  /** A token was accepted: the keys are there again. */
  accepted(): void;
}

export interface KeysOutageOptions {
  readonly logger: Logger;
  /** The JWKS origin (never its path or query, which may carry a tenant's key). */
  readonly jwks: string;
  /** A flapping provider logs at most one outage per this interval (default one minute). */
  readonly quietMs?: number;
  readonly now?: () => number;
}

export function keysOutageLog(options: KeysOutageOptions): KeysOutageLog {
  const { logger, jwks } = options;
  const now = options.now ?? Date.now;
  const quietMs = options.quietMs ?? 60_000;
  let down = false;
  let logged = false;
  let since = 0;
  let refused = 0;
  let lastLogged = -Infinity;
  let unlogged = 0;
  return {
    unreachable(reason) {
      refused += 1;
      if (down) return;
      down = true;
      since = now();
      refused = 1;
      logged = since - lastLogged >= quietMs;
      if (!logged) {
        unlogged += 1;
        return;
      }
      logger.warn(
        { jwks, reason, ...(unlogged > 0 ? { outagesNotLogged: unlogged } : {}) },
        'auth: cannot fetch the token signing keys: check AUTH_JWKS_URL and the identity provider',
      );
      lastLogged = since;
      unlogged = 0;
    },
    accepted() {
      if (!down) return;
      down = false;
      if (logged)
        logger.info(
          { jwks, downMs: Math.round(now() - since), callsRefused: refused },
          'auth: token signing keys reachable again',
        );
    },
  };
}
