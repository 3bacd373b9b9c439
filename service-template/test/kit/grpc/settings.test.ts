import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { portClash } from '../../../src/config.js';

describe('grpc part: settings', () => {
  it('GRPC_PORT equal to PORT on the same or a wildcard address is refused at start, saying so', () => {
    const clash = 'is PORT too (3000): give the gRPC server a port of its own';
    assert.equal(portClash({ PORT: 3000, HOST: '0.0.0.0', GRPC_PORT: 3000, GRPC_HOST: '0.0.0.0' }), clash);
    assert.equal(portClash({ PORT: 3000, HOST: '127.0.0.1', GRPC_PORT: 3000, GRPC_HOST: '::' }), clash);
    assert.equal(
      portClash({ PORT: 3000, HOST: 'localhost', GRPC_PORT: 3000, GRPC_HOST: '127.0.0.1' }),
      clash,
    );
  });

  it('different ports, two specific addresses, or a port the system picks (0) are fine', () => {
    for (const s of [
      { PORT: 3000, HOST: '0.0.0.0', GRPC_PORT: 50051, GRPC_HOST: '0.0.0.0' },
      { PORT: 3000, HOST: '127.0.0.1', GRPC_PORT: 3000, GRPC_HOST: '10.0.0.5' },
      { PORT: 3000, HOST: '0.0.0.0', GRPC_PORT: 3000, GRPC_HOST: '::1' },
      { PORT: 0, HOST: '127.0.0.1', GRPC_PORT: 0, GRPC_HOST: '127.0.0.1' },
    ])
      assert.equal(portClash(s), undefined, JSON.stringify(s));
  });
});
