import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBrokers } from '../../lib/config/brokers.js';

describe('broker lists', () => {
  const valid: [string, string[]][] = [
    ['localhost:19092', ['localhost:19092']],
    ['a.example:9092, b.example:9093', ['a.example:9092', 'b.example:9093']],
    ['127.0.0.1:1', ['127.0.0.1:1']],
    ['[::1]:9092', ['[::1]:9092']],
    [
      'redpanda-0.redpanda.infra.svc.cluster.local:9092',
      ['redpanda-0.redpanda.infra.svc.cluster.local:9092'],
    ],
  ];
  for (const [text, brokers] of valid) {
    it(`accepts ${text}`, () => {
      assert.deepEqual(parseBrokers(text), { ok: true, brokers });
    });
  }

  // [list, why, a piece of it that must not be echoed]
  const invalid: [string, RegExp, string | null][] = [
    ['', /the list is empty/, null],
    ['kafka-one', /entry 1 of 1 has no port/, 'kafka-one'],
    ['kafka-one:99999', /entry 1 of 1 has a port outside 1-65535/, '99999'],
    ['kafka-one:0', /outside 1-65535/, 'kafka-one'],
    ['kafka-one:nine', /port that is not a number/, 'nine'],
    ['PLAINTEXT://kafka-one:9092', /has a scheme/, 'kafka-one'],
    ['a:1,,b:2', /entry 2 of 3 is empty/, null],
    ['a:1,', /entry 2 of 2 is empty/, null],
    ['admin:hunter2secret@broker:9092', /has an "@"/, 'hunter2secret'],
    [':9092', /no host/, '9092'],
    ['bad_host!:9092', /not a host name/, 'bad_host'],
    ['two words:9092', /contains a space/, 'words'],
  ];
  for (const [text, why, planted] of invalid) {
    it(`refuses ${JSON.stringify(text)} without quoting it`, () => {
      const r = parseBrokers(text);
      assert.equal(r.ok, false);
      const message = r.ok ? '' : r.problems.join('; ');
      assert.match(message, why);
      if (planted !== null) assert.ok(!message.includes(planted), `"${planted}" is not echoed: ${message}`);
    });
  }
});
