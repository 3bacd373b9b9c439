import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MASK, Redactor } from '../../lib/redact.js';

const secret = 'p@ss w0rd/with+special=chars';

describe('redactor', () => {
  it('masks the raw value and its common encodings', () => {
    const r = new Redactor([secret]);
    for (const form of [
      secret,
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
      encodeURIComponent(secret),
    ]) {
      assert.equal(r.redact(`before ${form} after`), `before ${MASK} after`);
    }
  });

  it('masks inside nested data without touching other values', () => {
    const r = new Redactor([secret]);
    const out = r.redactDeep({ a: [`x${secret}y`, 3], b: { c: secret, d: null, e: true } });
    assert.deepEqual(out, { a: [`x${MASK}y`, 3], b: { c: MASK, d: null, e: true } });
  });

  it('masks JSON-escaped values', () => {
    const r = new Redactor(['quote"and\\backslash']);
    assert.ok(!r.redact(JSON.stringify({ v: 'quote"and\\backslash' })).includes('backslash'));
  });

  it('masks values added later (secrets generated during a run)', () => {
    const r = new Redactor();
    r.add('generated-later-123456');
    assert.equal(r.redact('value=generated-later-123456'), `value=${MASK}`);
  });

  it('masks the longer of two overlapping secrets whole', () => {
    const r = new Redactor(['abcdef', 'abcdefghij']);
    assert.equal(r.redact('abcdefghij'), MASK);
  });

  it('ignores values too short to mask meaningfully', () => {
    assert.equal(new Redactor(['ab']).redact('abc'), 'abc');
  });
});
