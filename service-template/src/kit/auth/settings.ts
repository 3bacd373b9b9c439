// The auth part's settings: where the identity provider publishes its keys, what a token must say,
// and which signature algorithms count (asymmetric only: a shared secret has no place next to a JWKS).
import { z } from 'zod';

/** Signature algorithms a JWKS can vouch for. `none` and HS* are never accepted. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;

/** https anywhere; plain http only on this machine or inside the cluster (`*.svc.cluster.local`). */
export function jwksUrlAllowed(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol, hostname } = new URL(url);
  if (protocol === 'https:') return true;
  return (
    protocol === 'http:' &&
    (LOOPBACK.test(hostname) || hostname.endsWith('.localhost') || hostname.endsWith('.svc.cluster.local'))
  );
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

export const authSettings = {
  /** The identity provider's JSON Web Key Set, e.g. https://id.example.com/.well-known/jwks.json. */
  AUTH_JWKS_URL: z
    .url({ protocol: /^https?$/ })
    .refine(jwksUrlAllowed, 'must be https (plain http only for localhost or *.svc.cluster.local)')
    // fetch refuses a URL with credentials ("Request cannot be constructed…"): every request would be a 503.
    .refine(
      (url) => !URL.canParse(url) || (new URL(url).username === '' && new URL(url).password === ''),
      'must not carry a user or password (fetch refuses them): a key set is public, served without a login',
    ),
  /** The `iss` every token must carry, e.g. https://id.example.com/realms/platform. */
  AUTH_ISSUER: z.string().trim().min(1, 'is blank'),
  /** The `aud` a token must name (comma-separated: any of these), e.g. the service's name. */
  AUTH_AUDIENCE: z
    .string()
    .transform(list)
    .refine((audiences) => audiences.length > 0, 'names no audience (only commas and spaces)'),
  /** Leeway for `exp` and `nbf` against this machine's clock, in seconds. */
  AUTH_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /** Accepted signature algorithms, comma-separated (asymmetric ones only). */
  AUTH_ALGORITHMS: z
    .string()
    .default('RS256,ES256,EdDSA')
    .transform(list)
    .refine(
      (algs) =>
        algs.length > 0 && algs.every((a) => (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(a)),
      `each must be one of ${ASYMMETRIC_ALGORITHMS.join(', ')} (never none or HS*)`,
    ),
  /** How long fetched keys are used before the key set is fetched again, in seconds. */
  AUTH_JWKS_CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** After a fetch, how long a token with an unknown key id is refused without fetching again, in seconds. */
  AUTH_JWKS_COOLDOWN_SECONDS: z.coerce.number().int().min(0).max(3_600).default(30),
  /** How long a key set fetch may take, in milliseconds. */
  AUTH_JWKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2_000),
  /** Route templates served without a token, comma-separated (probes and /metrics always are). */
  AUTH_PUBLIC_PATHS: z
    .string()
    .default('')
    .transform(list)
    .refine(
      (paths) => paths.every((p) => p.startsWith('/')),
      "each is a route template starting with '/', e.g. /docs,/items/:id",
    ),
};
export type AuthSettings = z.infer<z.ZodObject<typeof authSettings>>;
