// The auth part: JWT bearer tokens verified against the identity provider's JWKS (jose 6), as a
// Fastify hook on every route but the public ones, and as a verify() function the grpc part's auth
// interceptor takes when the service has both parts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter } from '@prometheus-io/client';
import { AppError } from '../../errors.js';
import type { PartDeps, StartedPart } from '../part.js';
import type { Claims } from './claims.js';
import { checkedAgainstKeys } from './errors.js';
import { keysOutageLog } from './outage-log.js';
import { registerAuth, requireScope } from './fastify.js';
import { createVerifier, type Verify } from './verifier.js';
import type { AuthSettings } from './settings.js';

export { authSettings, type AuthSettings } from './settings.js';
export { assertScopes, missingScopes, type Claims } from './claims.js';
export { bearerToken, requireScope } from './fastify.js';

export interface AuthHandle {
  /** The claims of a valid token; rejects with AppError UNAUTHORIZED (bad token) or UNAVAILABLE (no keys). */
  verify(token: string): Promise<Claims>;
  /** A route's preHandler: `app.post('/items', { preHandler: auth.requireScope('items:write') }, …)`. */
  requireScope(...scopes: string[]): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

/**
 * auth_tokens_total{result}: accepted, rejected (bad token: 401) or unavailable (no keys: 503); keys out of
 * reach are logged once per outage with where they were looked for and why (the caller is told neither).
 */
function countedVerify(verify: Verify, deps: PartDeps, jwks: string): Verify {
  const { registry, logger } = deps;
  const outage = keysOutageLog({ logger, jwks });
  const tokens = new Counter({
    name: 'auth_tokens_total',
    help: 'Bearer tokens checked, by result: accepted, rejected (401) or unavailable (keys out of reach, 503).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  for (const result of ['accepted', 'rejected', 'unavailable']) tokens.inc({ result }, 0);
  return async (token) => {
    try {
      const claims = await verify(token);
      tokens.inc({ result: 'accepted' });
      outage.checked();
      return claims;
    } catch (error) {
      const unavailable = error instanceof AppError && error.code === 'UNAVAILABLE';
      tokens.inc({ result: unavailable ? 'unavailable' : 'rejected' });
      if (unavailable)
        outage.unreachable(error.cause instanceof Error ? error.cause.message : String(error.cause));
      else if (checkedAgainstKeys(error)) outage.checked();
      throw error;
    }
  };
}

/**
 * No readiness check: keys are fetched on the first token (and cached), so an identity provider outage
 * fails only the calls that need a fetch (503), instead of taking every replica out of service.
 */
export function startAuth(settings: AuthSettings, deps: PartDeps): Promise<StartedPart<AuthHandle>> {
  const jwks = new URL(settings.AUTH_JWKS_URL).origin;
  const verify = countedVerify(createVerifier(settings), deps, jwks);
  deps.logger.info(
    {
      jwks,
      issuer: settings.AUTH_ISSUER,
      algorithms: settings.AUTH_ALGORITHMS,
    },
    'auth: bearer tokens required',
  );
  return Promise.resolve({
    handle: { verify, requireScope },
    register(app: FastifyInstance) {
      registerAuth(app, verify, deps.serviceName, settings.AUTH_PUBLIC_PATHS);
    },
    close: () => Promise.resolve(),
  });
}
