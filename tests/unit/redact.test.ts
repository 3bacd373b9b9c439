import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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

  it('masks each line of a multi-line value, since output is handled a line at a time', () => {
    // A PEM-shaped value made up at run time (a literal one would trip the repository's own secret scan).
    const armour = (edge: string): string => `-----${edge} ${['PRIVATE', 'KEY'].join(' ')}-----`;
    const body = [randomBytes(39).toString('base64'), randomBytes(39).toString('base64')];
    const key = [armour('BEGIN'), ...body, armour('END')].join('\n');
    const r = new Redactor([key]);
    const lines = key.split('\n').map((l) => `step: ${l}`);
    assert.deepEqual(
      lines.map((l) => r.redact(l)),
      [`step: ${armour('BEGIN')}`, `step: ${MASK}`, `step: ${MASK}`, `step: ${armour('END')}`],
    );
    const b64 = Buffer.from(key).toString('base64');
    for (const width of [76, 64]) {
      const wrapped = b64.match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
      for (const line of wrapped.filter((l) => l.length >= 6)) assert.equal(r.redact(line), MASK, line);
    }
  });

  it('masks the start of a secret in a message shortened before it was redacted', () => {
    const r = new Redactor(['0123456789abcdefghij']);
    assert.equal(r.redact('helm printed: 0123456789abc...'), `helm printed: ${MASK}...`);
    assert.equal(r.redact('cut at 01234567…'), `cut at ${MASK}…`);
    assert.equal(r.redact('only 0123... is too short to tell'), 'only 0123... is too short to tell');
    assert.equal(r.redact('Waiting... done'), 'Waiting... done');
    const url = new Redactor(['https://hooks.example/services/T000/B000/XXXXXXXXXXXX']);
    assert.equal(url.redact('pulling from https://...'), 'pulling from https://...', 'a scheme is no secret');
    assert.equal(url.redact('posting to https://hooks.example/ser...'), `posting to ${MASK}...`);
    const userPass = new Redactor(['foundation:0123456789abcdef']);
    assert.equal(userPass.redact('Creating cluster foundation...'), 'Creating cluster foundation...');
    assert.equal(userPass.redact('as foundation:0123456...'), `as ${MASK}...`);
    assert.equal(r.redact(`${'.'.repeat(3_000)} 0123456789...`), `${'.'.repeat(3_000)} ${MASK}...`);
  });

  it('masks a value as a form body encodes it (spaces as +)', () => {
    assert.equal(new Redactor(['pass word&more']).redact('password=pass+word%26more'), `password=${MASK}`);
  });

  it('ignores values too short to mask meaningfully', () => {
    assert.equal(new Redactor(['ab']).redact('abc'), 'abc');
  });
});
