import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { basicAuth, splitCredentials } from '../../lib/endpoints/credentials.js';
import { madeUpSecret } from '../helpers/fixtures.js';

describe('credentials in a URL, as fetch can take them', () => {
  it('user and password become a basic-auth header; the URL keeps everything else', () => {
    const token = madeUpSecret('tok');
    const split = splitCredentials(`https://ci-bot:${token}@prom.example:9443/api/v1/query?query=up#x`);
    assert.equal(split.url, 'https://prom.example:9443/api/v1/query?query=up#x');
    assert.equal(split.authorization, `Basic ${Buffer.from(`ci-bot:${token}`).toString('base64')}`);
  });

  it('percent-encoded characters are decoded once (an @ or : inside the password)', () => {
    const split = splitCredentials('http://me:p%40ss%3Aword@127.0.0.1:9090/');
    assert.equal(Buffer.from(split.authorization?.slice(6) ?? '', 'base64').toString(), 'me:p@ss:word');
  });

  it('a user alone (a token as the user name) counts too', () => {
    assert.equal(
      splitCredentials('https://abcdef0123456789@mirror.example/f.tgz').authorization,
      `Basic ${Buffer.from('abcdef0123456789:').toString('base64')}`,
    );
  });

  it('no credentials or no URL: as given, no header', () => {
    assert.deepEqual(splitCredentials('http://127.0.0.1:9090/-/ready'), {
      url: 'http://127.0.0.1:9090/-/ready',
    });
    assert.deepEqual(splitCredentials('not a url'), { url: 'not a url' });
  });

  it('the header is RFC 7617’s: base64 of user:password (Grafana’s admin login uses the same)', () => {
    assert.equal(basicAuth('Aladdin', 'open sesame'), 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });
});
