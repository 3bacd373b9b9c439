import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errors } from 'jose';
import { checkedAgainstKeys, toAuthError } from '../../../src/kit/auth/errors.js';
import { keysOutageLog } from '../../../src/kit/auth/outage-log.js';
import { recordingLogger } from '../recording-logger.js';

const jwks = 'https://idp.example';

describe('auth: the identity-provider outage log', () => {
  // When a line is due is src/kit/outage.ts's (test/kit/outage.test.ts); this is what the lines carry.
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

  it('a warning after unlogged outages says how many', () => {
    const { lines, logger } = recordingLogger();
    let now = 0;
    const outage = keysOutageLog({ logger, jwks, now: () => now });
    for (let i = 0; i < 3; i += 1) {
      now += 1_000;
      outage.unreachable('timeout');
      outage.checked();
    }
    now = 61_000;
    outage.unreachable('timeout');
    assert.deepEqual(lines[2]?.fields, { jwks, reason: 'timeout', outagesNotLogged: 2 });
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
