import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CENSORED, censorSecrets, isoTimestamp } from '../../lib/telemetry/log-fields.js';
import { createLogger } from '../../lib/telemetry/logger.js';
import { logSink } from '../helpers/log-sink.js';

describe('censorSecrets', () => {
  it('censors secret-named fields at the top level, nested, in arrays and in any letter case', () => {
    const line = {
      password: 'p1',
      user: { name: 'ada', Token: 't1' },
      a: { b: { c: { client_secret: 's1' } } },
      headers: { Authorization: 'Bearer x', 'set-cookie': ['sid=1'], accept: 'json' },
      items: [{ apiKey: 'k1' }, { id: 2 }],
    };
    assert.deepEqual(censorSecrets(line), {
      password: CENSORED,
      user: { name: 'ada', Token: CENSORED },
      a: { b: { c: { client_secret: CENSORED } } },
      headers: { Authorization: CENSORED, 'set-cookie': CENSORED, accept: 'json' },
      items: [{ apiKey: CENSORED }, { id: 2 }],
    });
  });

  it("never changes the caller's object, and returns it as it is when nothing is secret", () => {
    const access = { method: 'GET', route: '/livez', status_code: 200, nested: { ok: true } };
    assert.equal(censorSecrets(access), access);
    const mine = { user: { password: 'p' }, other: { x: 1 } };
    const out = censorSecrets(mine);
    assert.equal(mine.user.password, 'p');
    assert.equal(out.other, mine.other, 'objects off the path to a secret are shared, not copied');
  });

  it('leaves class instances to their serializers, empty values as they are, and stops at depth 6', () => {
    const error = Object.assign(new Error('boom'), { token: 't' });
    assert.equal(censorSecrets({ err: error }).err, error);
    assert.deepEqual(censorSecrets({ token: null, password: undefined }), {
      token: null,
      password: undefined,
    });
    const deep = { l1: { l2: { l3: { l4: { l5: { l6: { l7: { password: 'p' } } } } } } } };
    assert.equal(censorSecrets(deep), deep);
  });
});

describe('isoTimestamp', () => {
  it("writes pino's time field in ISO 8601, formatting once per millisecond", () => {
    let now = Date.UTC(2026, 10, 26, 9, 24, 25, 834);
    const stamp = isoTimestamp(() => now);
    const first = stamp();
    assert.equal(first, ',"time":"2026-11-26T09:24:25.834Z"');
    assert.equal(stamp(), first);
    now += 1;
    assert.equal(stamp(), ',"time":"2026-11-26T09:24:25.835Z"');
  });
});

describe('createLogger censoring', () => {
  it('censors secret fields wherever they are in a written line, and masks secret values in text', () => {
    const { lines, stream: destination } = logSink();
    const log = createLogger({ name: 'svc', secrets: ['s3cr3t-value'], destination });
    log.info({ password: 'hunter2', db: { url: 'postgres://u:s3cr3t-value@db/x' } }, 'connected');
    assert.deepEqual(
      { password: lines[0]?.password, db: lines[0]?.db },
      { password: CENSORED, db: { url: 'postgres://u:***@db/x' } },
    );
    assert.match(String(lines[0]?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
