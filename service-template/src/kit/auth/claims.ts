// What a verified token says about its caller, read from the common claim names (pure functions).
import type { JWTPayload } from 'jose';
import { AppError } from '../../errors.js';

export interface Claims {
  /** The caller (user or service account). */
  readonly sub: string;
  /** OAuth scopes: the `scope` claim (space-separated) or `scp` (Okta, Entra ID: a list or a string). */
  readonly scopes: readonly string[];
  /** Roles: the `roles` claim, or Keycloak's `realm_access.roles`. */
  readonly roles: readonly string[];
  readonly issuer: string;
  readonly expiresAt: Date;
  /** Every claim of the token, for what the service reads beyond these (never the token itself). */
  readonly payload: Readonly<JWTPayload>;
}

const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? value.split(' ').filter((s) => s !== '')
    : Array.isArray(value)
      ? value.filter((s): s is string => typeof s === 'string')
      : [];

/** The claims of a payload jose has verified (so `sub`, `iss` and `exp` are there). */
export function toClaims(payload: JWTPayload): Claims {
  const realm = payload.realm_access as { roles?: unknown } | undefined;
  return {
    sub: payload.sub ?? '',
    scopes: strings(payload.scope ?? payload.scp),
    roles: strings(payload.roles ?? realm?.roles),
    issuer: payload.iss ?? '',
    expiresAt: new Date((payload.exp ?? 0) * 1_000),
    payload,
  };
}

/** The scopes of `required` that these claims lack (none: allowed). */
export function missingScopes(claims: Claims, required: readonly string[]): string[] {
  return required.filter((scope) => !claims.scopes.includes(scope));
}

/** Throws FORBIDDEN unless the claims carry every scope (for gRPC handlers and other non-route code). */
export function assertScopes(claims: Claims | null | undefined, ...required: string[]): Claims {
  if (!claims) throw new AppError('UNAUTHORIZED', 'this call needs a bearer token');
  const missing = missingScopes(claims, required);
  if (missing.length > 0) throw new AppError('FORBIDDEN', `the token lacks the scope ${missing.join(', ')}`);
  return claims;
}
