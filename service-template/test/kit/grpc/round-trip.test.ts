import assert from 'node:assert/strict';
import { getEventListeners, once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { Metadata, experimental, logVerbosity, status as Status } from '@grpc/grpc-js';
import { AppError, StartupError } from '../../../src/errors.js';
import { loadHealthProto } from '../../../src/kit/grpc/index.js';
import { startKit, type GrpcKit } from './harness.js';

/** The AppError a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => assert.fail('the call succeeded'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError, `an AppError, not ${String(error)}`);
  return error;
}

describe('grpc part: calls', () => {
  let kit: GrpcKit<never>;
  const seen: string[] = [];
  before(async () => {
    kit = await startKit({}, {}, (call) => seen.push(call.request.id));
    await kit.items.Get({ id: '1' }); // connected: a short deadline below is spent in the handler
  });
  after(() => kit.close());

  it('Get and Create round trip through the kit client (both method spellings)', async () => {
    assert.deepEqual(await kit.items.Get({ id: '1' }), { id: '1', name: 'kettle', quantity: 3 });
    const created = await kit.items.create({ name: 'teapot', quantity: 2 });
    assert.deepEqual(created, { id: '2', name: 'teapot', quantity: 2 });
    assert.deepEqual(await kit.items.get({ id: created.id }), created);
  });

  it('AppErrors become their status and back: NOT_FOUND, VALIDATION, CONFLICT', async () => {
    const missing = await failure(kit.items.Get({ id: '404' }));
    assert.equal(missing.code, 'NOT_FOUND');
    assert.match(missing.message, /items\.v1\.ItemService\/Get answered NOT_FOUND: no item 404/);
    assert.deepEqual(missing.details, { grpcCode: Status.NOT_FOUND });
    assert.equal((await failure(kit.items.Create({ name: '' }))).code, 'VALIDATION');
    assert.equal((await failure(kit.items.Create({ name: 'kettle' }))).code, 'CONFLICT');
  });

  it('a plain Error is INTERNAL without its message, logged on the server; the client sees UPSTREAM', async () => {
    const error = await failure(kit.items.Get({ id: 'boom' }));
    assert.equal(error.code, 'UPSTREAM');
    assert.deepEqual(error.details, { grpcCode: Status.INTERNAL });
    assert.doesNotMatch(error.message, /hunter2|database/);
    assert.match(error.message, /INTERNAL: internal error/);
    const logged = kit.logs.find((l) => l.msg === 'call failed');
    assert.equal(logged?.rpc, '/items.v1.ItemService/Get');
  });

  it('a slow handler and a short deadline: DEADLINE_EXCEEDED, seen as TIMEOUT', async () => {
    const started = Date.now();
    const error = await failure(kit.items.Get({ id: 'slow' }, { deadlineMs: 100 }));
    assert.ok(seen.includes('slow'), 'the handler was running when the deadline passed');
    assert.equal(error.code, 'TIMEOUT');
    assert.deepEqual(error.details, { grpcCode: Status.DEADLINE_EXCEEDED });
    assert.ok(Date.now() - started < 5_000, 'the deadline, not the default one, ended the call');
  });

  it('the client default deadline applies when a call sets none', async () => {
    const short = await startKit({}, { GRPC_CLIENT_DEADLINE_MS: '150' });
    try {
      assert.equal((await failure(short.items.Get({ id: 'slow' }))).code, 'TIMEOUT');
    } finally {
      await short.close();
    }
  });

  it('a call aborted while the server handles it fails CANCELLED, and the handler hears of it', async () => {
    const controller = new AbortController();
    let serverCancelled: Promise<unknown> = Promise.resolve();
    const own = await startKit({}, {}, (call) => {
      serverCancelled = once(call, 'cancelled');
      controller.abort();
    });
    try {
      const error = await failure(own.items.Get({ id: 'slow' }, { signal: controller.signal }));
      assert.deepEqual(error.details, { grpcCode: Status.CANCELLED });
      await serverCancelled;
    } finally {
      await own.close();
    }
  });

  it('a signal given to many calls keeps no listener once they end; one aborted before the call cancels it', async () => {
    const shared = new AbortController();
    await Promise.all(
      Array.from({ length: 20 }, () => kit.items.Get({ id: '1' }, { signal: shared.signal })),
    );
    await failure(kit.items.Get({ id: '404' }, { signal: shared.signal }));
    assert.equal(getEventListeners(shared.signal, 'abort').length, 0);
    const error = await failure(kit.items.Get({ id: '1' }, { signal: AbortSignal.abort() }));
    assert.deepEqual(error.details, { grpcCode: Status.CANCELLED });
  });

  it('a call on a closed client fails at once with a stack, and leaves Error.stackTraceLimit as it was', async () => {
    const own = await startKit();
    try {
      const limit = Error.stackTraceLimit;
      own.items.close();
      const error = await own.items.Get({ id: '1' }).then(
        () => assert.fail('the call succeeded'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof Error);
      assert.match(error.message, /shut down/);
      assert.ok((error.stack ?? '').split('\n').length > 1, 'the error has a stack');
      assert.equal(Error.stackTraceLimit, limit);
    } finally {
      await own.close();
    }
  });

  it('metadata passes through; the raw grpc-js client works with the same interceptors', async () => {
    const metadata = new Metadata();
    metadata.set('x-request-id', 'r-1');
    assert.equal((await kit.items.Get({ id: '1' }, { metadata })).name, 'kettle');
    const name = await new Promise<string>((resolve, reject) => {
      kit.items.raw.Get({ id: '1' }, (error, item) => (error || !item ? reject(error) : resolve(item.name)));
    });
    assert.equal(name, 'kettle');
  });
});

describe('grpc part: health service', () => {
  it('Check follows readiness (SERVING / NOT_SERVING), knows the services, and stops serving on close', async () => {
    const kit = await startKit();
    const health = kit.part.handle.client((await loadHealthProto()).grpc.health.v1.Health, kit.target);
    let ready = true;
    kit.part.handle.server.setReadiness(async () => ready);
    assert.deepEqual(await health.Check({ service: '' }), { status: 'SERVING' });
    assert.deepEqual(await health.Check({ service: 'items.v1.ItemService' }), { status: 'SERVING' });
    ready = false;
    assert.deepEqual(await health.Check({ service: '' }), { status: 'NOT_SERVING' });
    kit.part.handle.server.setReadiness(() => Promise.reject(new Error('down')));
    assert.deepEqual(await health.Check({ service: '' }), { status: 'NOT_SERVING' });
    ready = true;
    kit.part.handle.server.setReadiness(async () => ready);
    const unknown = await failure(health.Check({ service: 'nope.v1.Nothing' }));
    assert.equal(unknown.code, 'NOT_FOUND');
    await kit.close();
    const after = kit.part.handle.client((await loadHealthProto()).grpc.health.v1.Health, kit.target);
    assert.equal((await failure(after.Check({ service: '' }))).code, 'UNAVAILABLE');
    after.close();
  });

  it('a readiness check that never answers: NOT_SERVING once its one-second budget is out, not a hung call', async () => {
    const kit = await startKit();
    try {
      const health = kit.part.handle.client((await loadHealthProto()).grpc.health.v1.Health, kit.target);
      kit.part.handle.server.setReadiness(() => new Promise<boolean>(() => undefined));
      const started = Date.now();
      assert.deepEqual(await health.Check({ service: '' }), { status: 'NOT_SERVING' });
      assert.ok(Date.now() - started < 3_000);
    } finally {
      await kit.close();
    }
  });
});

describe('grpc part: start-up', () => {
  it('a port in use: a StartupError that names the address and the fix', async () => {
    const first = await startKit();
    try {
      const port = String(first.part.handle.server.port);
      const logs: Record<string, unknown>[] = [];
      const error = await startKit({}, { GRPC_PORT: port }, undefined, logs).then(
        () => assert.fail('a second server started on the same port'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof StartupError, String(error));
      assert.match(error.message, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}`));
      assert.match(error.fix, /set GRPC_PORT to a free port/);
      // Said once, by the failure itself: grpc-js's own line with the same words is not logged as well.
      assert.deepEqual(
        [...logs, ...first.logs].filter((l) => l.source === 'grpc-js'),
        [],
      );
    } finally {
      await first.close();
    }
  });

  it('grpc-js log lines go to the newest running kit’s logger, at their level; none running: stderr', async () => {
    const older = await startKit();
    const newer = await startKit();
    const said = (kit: GrpcKit<never>, text: string) =>
      kit.logs.filter((l) => l.source === 'grpc-js' && String(l.msg).includes(text)).map((l) => l.level);
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    const running = new Set([older, newer]);
    const stop = async (kit: GrpcKit<never>) => {
      if (running.delete(kit)) await kit.close();
    };
    try {
      experimental.log(logVerbosity.ERROR, 'line one');
      assert.deepEqual([said(newer, 'line one'), said(older, 'line one')], [['error'], []]);
      await stop(newer);
      experimental.log(logVerbosity.ERROR, 'line two');
      assert.deepEqual([said(newer, 'line two'), said(older, 'line two')], [[], ['error']]);
      await stop(older);
      process.stderr.write = ((chunk: string) =>
        stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
      experimental.log(logVerbosity.ERROR, 'line three');
    } finally {
      process.stderr.write = write;
      for (const kit of running) await stop(kit);
    }
    assert.deepEqual(
      stderr.filter((l) => l.includes('line three')),
      ['E line three\n'],
    );
  });
});
