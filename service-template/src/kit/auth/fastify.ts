// Bearer tokens on HTTP routes: one onRequest hook for every route but the public ones, claims on the
// request, and a preHandler per route for scopes. Failures are the common error shape with the
// WWW-Authenticate header RFC 6750 asks for; the token is never logged, echoed or put in an error.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { QUIET_PATHS } from '../../telemetry/index.js';
import { missingScopes, type Claims } from './claims.js';
import type { Verify } from './verifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified token's claims; null on public paths. */
    claims: Claims | null;
  }
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  return header === undefined ? null : (BEARER.exec(header)?.[1] ?? null);
}

const quote = (text: string): string => text.replace(/["\\]/g, "'");

/** The onRequest hook and the claims decoration; `publicPaths` are route templates (`/docs/:page`). */
export function registerAuth(
  app: FastifyInstance,
  verify: Verify,
  realm: string,
  publicPaths: readonly string[],
): void {
  const open = new Set([...QUIET_PATHS, ...publicPaths]);
  app.decorateRequest('claims', null);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // No route matched (a 404, or a method the path does not serve): the path as sent, so a public path
    // answers 404 without asking for a token; any other unknown path still needs one (no route probing).
    const route = request.routeOptions.url ?? request.url.split('?')[0];
    if (route !== undefined && open.has(route)) return;
    const token = bearerToken(request.headers.authorization);
    if (token === null) {
      reply.header('www-authenticate', `Bearer realm="${quote(realm)}"`);
      throw new AppError('UNAUTHORIZED', 'missing bearer token: send "Authorization: Bearer <token>"');
    }
    try {
      request.claims = await verify(token);
    } catch (error) {
      if (error instanceof AppError && error.code === 'UNAUTHORIZED') {
        const description = quote(error.message);
        reply.header(
          'www-authenticate',
          `Bearer realm="${quote(realm)}", error="invalid_token", error_description="${description}"`,
        );
      }
      throw error;
    }
  });
}

/** A route's preHandler: FORBIDDEN unless the token carries every scope. `{ preHandler: requireScope('items:write') }` */
export function requireScope(
  ...scopes: string[]
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    if (request.claims === null) throw new AppError('UNAUTHORIZED', 'this route needs a bearer token');
    const missing = missingScopes(request.claims, scopes);
    if (missing.length === 0) return;
    reply.header('www-authenticate', `Bearer error="insufficient_scope", scope="${quote(scopes.join(' '))}"`);
    throw new AppError('FORBIDDEN', `the token lacks the scope ${missing.join(', ')}`);
  };
}
