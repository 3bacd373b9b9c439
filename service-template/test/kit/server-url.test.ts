import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutShort, undecodable } from '../../src/kit/server-url.js';

describe('server URLs (DATABASE_URL, REDIS_URL): the user and password', () => {
  it('a URL cut short by a password with /, ? or # is refused, never quoted', () => {
    // (Where the cut leaves no URL at all, as in redis://default:pa/ss@cache, z.url refuses it first.)
    for (const url of [
      'postgres://app:ab@Secr3tHalf/restQz9@db:5432/app',
      'redis://default:ab@cd/efQz9@cache:6379',
      'postgres://app:x@y?zQz9@db/app',
      'postgres://app:x@y#zQz9@db/app',
    ]) {
      const problem = cutShort(url);
      assert.match(problem ?? '', /an "@" after the host: percent-encode @/, url);
      assert.doesNotMatch(problem ?? '', /Secr3t|Qz9/);
    }
  });

  it('an @ where URLs hold one is fine: the password (the last @ ends it), a query value', () => {
    for (const url of [
      'postgres://app:p@ss@db:5432/app',
      'postgres://app:pw@db/app?user=alice@corp&application_name=orders@eu',
      'postgres://app:ab%40Secr3t%2Frest@db:5432/app',
      'postgres:///app?host=/var/run/postgresql',
      'redis://cache:6379/0',
      'not a url',
    ])
      assert.equal(cutShort(url), undefined, url);
  });

  it('a bare % in the user or the password does not decode, each read alone', () => {
    for (const url of ['redis://default:100%zz@cache:6379', 'redis://a%:41@cache:6379'])
      assert.match(undecodable(url) ?? '', /write % as %25/, url);
    assert.equal(undecodable('redis://default:100%25zz@cache:6379'), undefined);
  });
});
