import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clientFinal,
  clientFirstBare,
  scramAttributes,
  serverVerified,
} from '../../scripts/test-servers/scram.js';

// RFC 7677 section 3: the SCRAM-SHA-256 example exchange (user "user", password "pencil").
const NONCE = 'rOprNGfwEbeRWgbNEkqO';
const SERVER_FIRST = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const CLIENT_FINAL =
  'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const SERVER_FINAL = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

describe('SCRAM-SHA-256 client (the test servers’ PostgreSQL authentication)', () => {
  it('computes RFC 7677’s client proof and expected server signature', () => {
    const first = clientFirstBare('user', NONCE);
    assert.equal(first, `n=user,r=${NONCE}`);
    const final = clientFinal('pencil', first, SERVER_FIRST);
    assert.equal(final.message, CLIENT_FINAL);
    assert.equal(serverVerified(SERVER_FINAL, final.serverSignature), true);
  });

  it('a wrong password gives another proof, and a forged server signature is rejected', () => {
    const first = clientFirstBare('user', NONCE);
    const wrong = clientFinal('pencil!', first, SERVER_FIRST);
    assert.notEqual(wrong.message, CLIENT_FINAL);
    assert.equal(serverVerified(SERVER_FINAL, wrong.serverSignature), false);
    assert.equal(serverVerified('v=AAAA', clientFinal('pencil', first, SERVER_FIRST).serverSignature), false);
  });

  it('refuses a server nonce that does not extend the client’s (or repeats it), and missing attributes', () => {
    const first = clientFirstBare('user', NONCE);
    assert.throws(() => clientFinal('pencil', first, 'r=other,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'), /nonce/);
    assert.throws(
      () => clientFinal('pencil', first, `r=${NONCE},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`),
      /nonce/,
    );
    assert.throws(() => clientFinal('pencil', first, `r=${NONCE}x,i=4096`), /malformed/);
  });

  it('escapes = and , in the user name and keeps = inside attribute values', () => {
    assert.equal(clientFirstBare('a=b,c', 'n1'), 'n=a=3Db=2Cc,r=n1');
    assert.deepEqual(scramAttributes('s=QSXCR+Q6sek8bf92==,i=4096'), { s: 'QSXCR+Q6sek8bf92==', i: '4096' });
  });
});
