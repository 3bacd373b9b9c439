// The gRPC auth interceptor with a stand-in verifier (the grpc part alone: no auth part, no jose).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata, status as Status } from '@grpc/grpc-js';
import { AppError } from '../../../src/errors.js';
import { loadHealthProto } from '../../../src/kit/grpc/index.js';
import { startKit } from './harness.js';

interface Claims {
  readonly sub: string;
}
const GOOD = 'good.token.value';
const verifyToken = async (token: string): Promise<Claims> => {
  if (token === GOOD) return { sub: 'alice' };
  if (token === 'keys.unreachable.now') throw new AppError('UNAVAILABLE', 'cannot fetch signing keys');
  if (token === 'plain.error.thrown') throw new Error(`bad token ${token}`);
  throw new AppError('UNAUTHORIZED', 'invalid token: signature check failed');
};
const bearer = (token: string): Metadata => {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
};
async function code(promise: Promise<unknown>): Promise<[string, unknown, string]> {
  const error = await promise.then(
    () => assert.fail('the call succeeded'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError);
  return [error.code, (error.details as { grpcCode: number }).grpcCode, error.message];
}

describe('grpc part: auth interceptor', () => {
  it('no token or a rejected one: UNAUTHENTICATED before the handler; the token never in the status', async () => {
    let handled = 0;
    const kit = await startKit({ verifyToken }, {}, () => handled++);
    try {
      const [missing, missingStatus, message] = await code(kit.items.Get({ id: '1' }));
      assert.deepEqual([missing, missingStatus], ['UNAUTHORIZED', Status.UNAUTHENTICATED]);
      assert.match(message, /missing bearer token/);
      const notBearer = new Metadata();
      notBearer.set('authorization', `Basic ${GOOD}`);
      assert.equal(
        (await code(kit.items.Get({ id: '1' }, { metadata: notBearer })))[1],
        Status.UNAUTHENTICATED,
      );
      const [, rejected, why] = await code(
        kit.items.Get({ id: '1' }, { metadata: bearer('forged.token.sig') }),
      );
      assert.equal(rejected, Status.UNAUTHENTICATED);
      assert.match(why, /signature check failed/);
      const [, plain, plainWhy] = await code(
        kit.items.Get({ id: '1' }, { metadata: bearer('plain.error.thrown') }),
      );
      assert.equal(plain, Status.UNAUTHENTICATED);
      assert.doesNotMatch(plainWhy, /plain\.error\.thrown/);
      assert.equal(handled, 0);
      assert.ok(!JSON.stringify(kit.logs).includes('forged.token.sig'));
      assert.match(await kit.registry.metrics(), /grpc_code="UNAUTHENTICATED"\} 4/);
    } finally {
      await kit.close();
    }
  });

  it('a valid token reaches the handler with its claims; a verifier outage is UNAVAILABLE, not UNAUTHENTICATED', async () => {
    const seen: (Claims | undefined)[] = [];
    const kit = await startKit({ verifyToken }, {}, (call) => seen.push(kit.part.handle.claims(call)));
    try {
      assert.equal((await kit.items.Get({ id: '1' }, { metadata: bearer(GOOD) })).name, 'kettle');
      assert.deepEqual(seen, [{ sub: 'alice' }]);
      const [, outage] = await code(kit.items.Get({ id: '1' }, { metadata: bearer('keys.unreachable.now') }));
      assert.equal(outage, Status.UNAVAILABLE);
    } finally {
      await kit.close();
    }
  });

  it('health checks and public methods need no token', async () => {
    const kit = await startKit({ verifyToken, publicMethods: ['items.v1.ItemService/Get'] });
    try {
      const health = kit.part.handle.client((await loadHealthProto()).grpc.health.v1.Health, kit.target);
      assert.deepEqual(await health.Check({ service: '' }), { status: 'SERVING' });
      assert.equal((await kit.items.Get({ id: '1' })).name, 'kettle');
      assert.equal((await code(kit.items.Create({ name: 'x' })))[1], Status.UNAUTHENTICATED);
    } finally {
      await kit.close();
    }
  });

  it('without a verifier there is no auth, and claims are undefined', async () => {
    const seen: unknown[] = [];
    const kit = await startKit({}, {}, (call) => seen.push(kit.part.handle.claims(call)));
    try {
      assert.equal((await kit.items.Get({ id: '1' })).name, 'kettle');
      assert.deepEqual(seen, [undefined]);
    } finally {
      await kit.close();
    }
  });
});
