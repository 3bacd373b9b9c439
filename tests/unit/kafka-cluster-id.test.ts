// The test broker's cluster id, made in Node instead of by a JVM (`kafka-storage random-uuid`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kafkaClusterId } from '../../scripts/test-servers/kafka-server.js';

/** A random source giving these 16-byte buffers in turn. */
const giving = (...buffers: Buffer[]) => {
  let next = 0;
  return (size: number): Buffer => {
    const b = buffers[next++];
    assert.ok(b !== undefined && b.length === size);
    return b;
  };
};

describe('kafkaClusterId', () => {
  it('16 random bytes as 22 characters of base64url, as Kafka writes a Uuid', () => {
    const id = kafkaClusterId();
    assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    assert.equal(Buffer.from(id, 'base64url').length, 16);
    assert.notEqual(kafkaClusterId(), id);
  });

  it('never one starting with "-" (read as an option) nor a reserved id', () => {
    const dash = Buffer.alloc(16, 0xf8); // 111110… → "-" first
    const zero = Buffer.alloc(16);
    const one = Buffer.alloc(16);
    one[15] = 1;
    const fine = Buffer.alloc(16, 0x41);
    assert.equal(kafkaClusterId(giving(dash, zero, one, fine)), fine.toString('base64url'));
    assert.ok(dash.toString('base64url').startsWith('-'));
  });
});
