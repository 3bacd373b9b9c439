// The log of an identity-provider outage: one warning when tokens cannot be checked for lack of signing
// keys (where they were looked for and why), one line when tokens are checked against keys again, with how
// many calls were refused in between. Under load an outage would otherwise write a line per request.
import type { Logger } from 'pino';
import { outage, type OutageOptions } from '../outage.js';

export interface KeysOutageLog {
  /** A token could not be checked: the keys were out of reach (`reason` is jose's message). */
  unreachable(reason: string): void;
  /** A token was checked against a key (accepted, or refused for its signature or claims). */
  checked(): void;
}

export interface KeysOutageOptions extends OutageOptions {
  readonly logger: Logger;
  /** The JWKS origin (never its path or query, which may carry a tenant's key). */
  readonly jwks: string;
}

export function keysOutageLog(options: KeysOutageOptions): KeysOutageLog {
  const { logger, jwks } = options;
  const state = outage(options);
  return {
    unreachable(reason) {
      const warning = state.failed();
      if (warning === undefined) return;
      logger.warn(
        { jwks, reason, ...warning },
        'auth: cannot fetch the token signing keys: check AUTH_JWKS_URL and the identity provider',
      );
    },
    checked() {
      const end = state.ended();
      if (end === undefined) return;
      logger.info(
        { jwks, downMs: end.downMs, callsRefused: end.failures },
        'auth: tokens are checked against signing keys again',
      );
    },
  };
}
