// Why jose refused a token, as the service's error: UNAUTHORIZED with a reason the caller can act on
// (never the token, never a claim's value), or UNAVAILABLE when the signing keys could not be fetched
// (the JWKS address is said in the service's log, not to the caller).
import { errors } from 'jose';
import { AppError } from '../../errors.js';

const REASONS: Readonly<Record<string, string>> = {
  ERR_JWT_EXPIRED: 'the token has expired',
  ERR_JOSE_ALG_NOT_ALLOWED: 'the token is signed with an algorithm this service does not accept',
  ERR_JWKS_NO_MATCHING_KEY: 'the token is signed by a key the identity provider does not publish',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'the token names no key id and several keys match',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'the token signature is invalid',
  ERR_JWS_INVALID: 'the token is malformed',
  ERR_JWT_INVALID: 'the token is malformed',
  ERR_JOSE_NOT_SUPPORTED: 'the token uses an unsupported algorithm or key',
};

/** Errors that mean "the keys are out of reach" rather than "the token is bad". */
function keysUnreachable(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true; // fetch failed (refused, DNS, TLS)
  return (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === 'ERR_JOSE_GENERIC'
  );
}

/**
 * jose's codes for a token refused after a key was found for it (the signature, then the claims, are
 * checked with the key in hand): such a refusal shows the keys are there, as an accepted token does.
 */
const REFUSED_WITH_KEYS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);
const refusedWithKeys = new WeakSet<AppError>();

/** Whether this UNAUTHORIZED came from checking the token against the signing keys (see above). */
export function checkedAgainstKeys(error: unknown): boolean {
  return error instanceof AppError && refusedWithKeys.has(error);
}

/** What a caller is told when the keys are out of reach: where they live is the operator's business. */
export const KEYS_UNREACHABLE =
  'the token cannot be checked now (the signing keys are out of reach): retry later';

/**
 * jose's error as the service's: UNAUTHORIZED with the reason, or UNAVAILABLE when the keys could not be
 * fetched — its `cause` is jose's error, for the service's log (the caller gets KEYS_UNREACHABLE only).
 */
export function toAuthError(error: unknown): AppError {
  const refused = refusal(error);
  if (
    refused.code === 'UNAUTHORIZED' &&
    error instanceof errors.JOSEError &&
    REFUSED_WITH_KEYS.has(error.code)
  )
    refusedWithKeys.add(refused);
  return refused;
}

function refusal(error: unknown): AppError {
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new AppError(
      'UNAUTHORIZED',
      `the token's "${error.claim}" claim is not accepted (${error.reason})`,
    );
  }
  if (error instanceof errors.JOSEError && REASONS[error.code]) {
    return new AppError('UNAUTHORIZED', REASONS[error.code] ?? 'invalid token');
  }
  if (keysUnreachable(error)) {
    const unavailable = new AppError('UNAVAILABLE', KEYS_UNREACHABLE);
    unavailable.cause = error;
    return unavailable;
  }
  return new AppError('UNAUTHORIZED', 'invalid token');
}
