// An identity provider stand-in on loopback: a JWKS endpoint that counts its hits, keys generated with
// jose, and tokens signed with them. The grpc part's test with the real verifier uses it too.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const ISSUER = 'https://id.example.test/realms/platform';
export const AUDIENCE = 'items';

export interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

export async function signingKey(kid: string, alg: 'RS256' | 'ES256' = 'ES256'): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** A token for `payload` (defaults: sub alice, our issuer and audience, 5 minutes), signed by `key`. */
export function token(
  key: SigningKey,
  payload: JWTPayload = {},
  expiresIn: string | number = '5m',
): Promise<string> {
  return new SignJWT({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, ...payload })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key.privateKey);
}

export interface JwksServer {
  readonly url: string;
  /** How many times the key set was fetched. */
  hits(): number;
  /** The keys published from now on. */
  publish(keys: readonly SigningKey[]): void;
  /** Answer 503 from now on (or again 200 with false). */
  fail(failing: boolean): void;
  close(): Promise<void>;
}

export async function jwksServer(keys: readonly SigningKey[]): Promise<JwksServer> {
  let published = keys;
  let failing = false;
  let hits = 0;
  const server: Server = createServer((request, response) => {
    hits += 1;
    if (failing || request.url !== '/jwks.json') {
      response.writeHead(failing ? 503 : 404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: published.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    hits: () => hits,
    publish(next) {
      published = next;
    },
    fail(next) {
      failing = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
