import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status as Status } from '@grpc/grpc-js';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../../src/errors.js';
import { GRPC_STATUS_OF, fromStatus, toStatus } from '../../../src/kit/grpc/status.js';

describe('grpc part: status mapping', () => {
  it('sends each AppError code as its gRPC status, INTERNAL without its message', () => {
    const expected: [ErrorCode, Status][] = [
      ['VALIDATION', Status.INVALID_ARGUMENT],
      ['NOT_FOUND', Status.NOT_FOUND],
      ['UNAUTHORIZED', Status.UNAUTHENTICATED],
      ['FORBIDDEN', Status.PERMISSION_DENIED],
      ['CONFLICT', Status.ALREADY_EXISTS],
      ['UNAVAILABLE', Status.UNAVAILABLE],
      ['TIMEOUT', Status.DEADLINE_EXCEEDED],
      ['INTERNAL', Status.INTERNAL],
    ];
    for (const [code, grpc] of expected) {
      assert.equal(toStatus(new AppError(code, 'what happened')).code, grpc, code);
    }
    assert.deepEqual(
      Object.keys(GRPC_STATUS_OF).sort(),
      Object.keys(ERROR_STATUS).sort(),
      'every code mapped',
    );
    assert.deepEqual(toStatus(new AppError('INTERNAL', 'pool password=x')), {
      code: Status.INTERNAL,
      details: 'internal error',
    });
    assert.deepEqual(toStatus(new Error('secret')), { code: Status.INTERNAL, details: 'internal error' });
    assert.deepEqual(toStatus({ code: Status.NOT_FOUND, details: 'gone' }), {
      code: Status.NOT_FOUND,
      details: 'gone',
    });
  });

  it('reads a received status as the AppError a route would throw, UPSTREAM when nothing closer fits', () => {
    const cases: [Status, ErrorCode][] = [
      [Status.INVALID_ARGUMENT, 'VALIDATION'],
      [Status.NOT_FOUND, 'NOT_FOUND'],
      [Status.UNAUTHENTICATED, 'UNAUTHORIZED'],
      [Status.PERMISSION_DENIED, 'FORBIDDEN'],
      [Status.ALREADY_EXISTS, 'CONFLICT'],
      [Status.UNAVAILABLE, 'UNAVAILABLE'],
      [Status.DEADLINE_EXCEEDED, 'TIMEOUT'],
      [Status.INTERNAL, 'UPSTREAM'],
      [Status.UNKNOWN, 'UPSTREAM'],
      [Status.UNIMPLEMENTED, 'UPSTREAM'],
    ];
    for (const [grpc, code] of cases)
      assert.equal(fromStatus({ code: grpc, details: 'x' }, 'a.B/C').code, code);
    const error = fromStatus({ code: Status.NOT_FOUND, details: 'no item 7' }, 'items.v1.ItemService/Get');
    assert.equal(error.message, 'items.v1.ItemService/Get answered NOT_FOUND: no item 7');
  });
});
