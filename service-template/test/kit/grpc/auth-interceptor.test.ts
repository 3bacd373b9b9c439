// The grpc part's auth interceptor with the auth part's real verifier and a loopback JWKS server.
// Ships only in services generated with both parts (--with grpc,auth): it imports both.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Metadata, status as Status } from '@grpc/grpc-js';
import { z } from 'zod';
import { AppError } from '../../../src/errors.js';
import { assertScopes, authSettings, startAuth, type Claims } from '../../../src/kit/auth/index.js';
import { createLogger, createRegistry } from '../../../src/telemetry/index.js';
import {
  AUDIENCE,
  ISSUER,
  jwksServer,
  signingKey,
  token,
  type JwksServer,
  type SigningKey,
} from '../auth/jwks-server.js';
import { startKit, type GrpcKit } from './harness.js';

const bearer = (value: string): Metadata => {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${value}`);
  return metadata;
};
async function grpcCode(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => assert.fail('the call succeeded'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError);
  return (error.details as { grpcCode: number }).grpcCode;
}

describe('grpc part with the auth part: tokens on calls', () => {
  let jwks: JwksServer;
  let key: SigningKey;
  let kit: GrpcKit<Claims>;
  const seen: (Claims | undefined)[] = [];
  before(async () => {
    key = await signingKey('k1');
    jwks = await jwksServer([key]);
    const settings = z.object(authSettings).parse({
      AUTH_JWKS_URL: jwks.url,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_JWKS_COOLDOWN_SECONDS: '0',
    });
    const deps = {
      serviceName: 'items',
      logger: createLogger({ name: 'items', level: 'silent' }),
      registry: createRegistry({ defaultMetrics: false }),
    };
    const auth = await startAuth(settings, deps);
    kit = await startKit({ verifyToken: auth.handle.verify }, {}, (call) =>
      seen.push(kit.part.handle.claims(call)),
    );
  });
  after(async () => {
    await kit.close();
    await jwks.close();
  });

  it('a valid token: the call is served and the handler reads typed claims', async () => {
    const value = await token(key, { scope: 'items:read' });
    assert.equal((await kit.items.Get({ id: '1' }, { metadata: bearer(value) })).name, 'kettle');
    const claims = seen.at(-1);
    assert.equal(claims?.sub, 'alice');
    assert.deepEqual(assertScopes(claims, 'items:read').scopes, ['items:read']);
    assert.throws(
      () => assertScopes(claims, 'items:write'),
      (e: unknown) => e instanceof AppError && e.code === 'FORBIDDEN',
    );
    assert.ok(!JSON.stringify(kit.logs).includes(value));
  });

  it('missing, expired, wrong audience: UNAUTHENTICATED', async () => {
    assert.equal(await grpcCode(kit.items.Get({ id: '1' })), Status.UNAUTHENTICATED);
    const expired = await token(key, {}, Math.floor(Date.now() / 1000) - 120);
    assert.equal(
      await grpcCode(kit.items.Get({ id: '1' }, { metadata: bearer(expired) })),
      Status.UNAUTHENTICATED,
    );
    const billing = await token(key, { aud: 'billing' });
    assert.equal(
      await grpcCode(kit.items.Get({ id: '1' }, { metadata: bearer(billing) })),
      Status.UNAUTHENTICATED,
    );
  });

  it('a rotated key: fetched once, then accepted', async () => {
    const rotated = await signingKey('k2', 'RS256');
    jwks.publish([key, rotated]);
    const before = jwks.hits();
    assert.equal((await kit.items.Get({ id: '1' }, { metadata: bearer(await token(rotated)) })).id, '1');
    assert.equal(jwks.hits(), before + 1);
  });

  it('the key set unreachable: UNAVAILABLE', async () => {
    jwks.fail(true);
    try {
      const stranger = await token(await signingKey('k9'));
      assert.equal(
        await grpcCode(kit.items.Get({ id: '1' }, { metadata: bearer(stranger) })),
        Status.UNAVAILABLE,
      );
    } finally {
      jwks.fail(false);
    }
  });
});
