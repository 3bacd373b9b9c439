import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keysOutageLog } from '../../../src/kit/auth/outage-log.js';
import { recordingLogger } from '../recording-logger.js';

const jwks = 'https://idp.example';

describe('auth: the identity-provider outage log', () => {
  it('one warning however many tokens fail, one line when a token is accepted again', () => {
    const { lines, logger } = recordingLogger();
    let now = 0;
    const outage = keysOutageLog({ logger, jwks, now: () => now });
    outage.accepted(); // no outage yet: nothing to say
    for (let i = 0; i < 500; i += 1) outage.unreachable('fetch failed');
    now = 2_500;
    outage.accepted();
    outage.accepted();
    assert.deepEqual(
      lines.map((l) => [l.level, l.fields]),
      [
        ['warn', { jwks, reason: 'fetch failed' }],
        ['info', { jwks, downMs: 2_500, callsRefused: 500 }],
      ],
    );
  });

  it('a flapping provider logs at most one outage a minute, then says how many went unlogged', () => {
    const { lines, logger } = recordingLogger();
    let now = 0;
    const outage = keysOutageLog({ logger, jwks, now: () => now });
    for (let i = 0; i < 5; i += 1) {
      now += 1_000;
      outage.unreachable('timeout');
      outage.accepted();
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
});
