import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errors } from 'jose';
import { checkedAgainstKeys, toAuthError } from '../../../src/kit/auth/errors.js';
import { keysOutageLog } from '../../../src/kit/auth/outage-log.js';
import { recordingLogger } from '../recording-logger.js';

const jwks = 'https://idp.example';

describe('auth: the identity-provider outage log', () => {
  it('one warning however many tokens fail, one line when tokens are checked again', () => {
    const { lines, logger } = recordingLogger();
    let now = 0;
    const outage = keysOutageLog({ logger, jwks, now: () => now });
    outage.checked(); // no outage yet: nothing to say
    for (let i = 0; i < 500; i += 1) outage.unreachable('fetch failed');
    now = 2_500;
    outage.checked();
    outage.checked();
    assert.deepEqual(
      lines.map((l) => [l.level, l.fields]),
      [
        ['warn', { jwks, reason: 'fetch failed' }],
        ['info', { jwks, downMs: 2_500, callsRefused: 500 }],
      ],
    );
  });

  it('a flapping provider is warned about at most once a minute, then says how many went unlogged', () => {
    const { lines, logger } = recordingLogger();
    let now = 0;
    const outage = keysOutageLog({ logger, jwks, now: () => now });
    for (let i = 0; i < 5; i += 1) {
      now += 1_000;
      outage.unreachable('timeout');
      outage.checked();
    }
    now = 61_000;
    outage.unreachable('timeout');
    assert.deepEqual(
      lines.map((l) => [l.level, l.fields.outagesNotLogged]),
      [
        ['warn', undefined],
        ['info', undefined],
        ['warn', 4],
      ],
    );
  });

  it('an outage that starts inside the quiet minute is warned about once the minute has passed', () => {
    const { lines, logger } = recordingLogger();
    let now = 0;
    const outage = keysOutageLog({ logger, jwks, now: () => now });
    outage.unreachable('timeout'); // warned
    now = 10_000;
    outage.checked();
    now = 20_000;
    outage.unreachable('timeout'); // a new outage, inside the minute: not yet
    now = 59_999;
    outage.unreachable('timeout');
    assert.equal(lines.length, 2);
    now = 70_000;
    outage.unreachable('timeout'); // the minute has passed: warned, still the same outage
    outage.unreachable('timeout');
    now = 80_000;
    outage.checked();
    assert.deepEqual(
      lines.map((l) => [l.level, l.fields.downMs, l.fields.callsRefused]),
      [
        ['warn', undefined, undefined],
        ['info', 10_000, 1],
        ['warn', undefined, undefined],
        ['info', 60_000, 4],
      ],
    );
  });

  it('a refusal that needed the keys (signature, claims, no matching key) shows they are there; others do not', () => {
    const withKeys = [
      new errors.JWSSignatureVerificationFailed(),
      new errors.JWTExpired('expired', {}),
      new errors.JWTClaimValidationFailed('audience', {}, 'aud'),
      new errors.JWKSNoMatchingKey(),
    ];
    for (const error of withKeys) assert.equal(checkedAgainstKeys(toAuthError(error)), true, error.code);
    const without = [new errors.JWSInvalid(), new errors.JOSEAlgNotAllowed(), new errors.JWKSTimeout()];
    for (const error of without) assert.equal(checkedAgainstKeys(toAuthError(error)), false, error.code);
    assert.equal(checkedAgainstKeys(new Error('x')), false);
  });
});
