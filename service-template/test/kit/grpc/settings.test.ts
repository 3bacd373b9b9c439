import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, portClash } from '../../../src/config.js';
import { testConfig } from '../../helpers.js';

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

  it('the clash is named with every other problem at once, not only after the rest are right', () => {
    assert.throws(
      () => testConfig({ PORT: '3000', GRPC_PORT: '3000', LOG_LEVEL: 'loud' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.message,
          /^invalid configuration:\n {2}- LOG_LEVEL: .+\n {2}- GRPC_PORT: is PORT too \(3000\)/,
        );
        return true;
      },
    );
    // A PORT that is not valid is named alone: there is no clash to judge.
    assert.throws(
      () => testConfig({ PORT: 'x', GRPC_PORT: '3000' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.message, 'invalid configuration:\n  - PORT: expected a number');
        return true;
      },
    );
  });
});
