// Token verification with jose 6: keys from the JWKS URL (cached, refetched when a token names an
// unknown key id — at most once per cooldown — and when the cache is older than its max age),
// issuer, audience, expiry with clock skew, and an allow-list of asymmetric algorithms.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { toClaims, type Claims } from './claims.js';
import { toAuthError } from './errors.js';
import type { AuthSettings } from './settings.js';

export type Verify = (token: string) => Promise<Claims>;

export function createVerifier(settings: AuthSettings): Verify {
  const getKey = createRemoteJWKSet(new URL(settings.AUTH_JWKS_URL), {
    cacheMaxAge: settings.AUTH_JWKS_CACHE_MAX_AGE_SECONDS * 1_000,
    cooldownDuration: settings.AUTH_JWKS_COOLDOWN_SECONDS * 1_000,
    timeoutDuration: settings.AUTH_JWKS_TIMEOUT_MS,
  });
  const options = {
    issuer: settings.AUTH_ISSUER,
    audience: settings.AUTH_AUDIENCE,
    clockTolerance: settings.AUTH_CLOCK_SKEW_SECONDS,
    algorithms: settings.AUTH_ALGORITHMS,
    requiredClaims: ['sub', 'exp'],
  };
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, getKey, options);
      return toClaims(payload);
    } catch (error) {
      throw toAuthError(error);
    }
  };
}
