import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialsProblem } from '../../src/kit/server-url.js';

describe('server URLs (DATABASE_URL, REDIS_URL): the user and password', () => {
  it('a password with an @, / or ? not percent-encoded is refused, never quoted', () => {
    // (Where the cut leaves no URL at all, as in redis://default:pa/ss@cache, z.url refuses it first.)
    for (const url of [
      'postgres://app:ab@Secr3tHalf/restQz9@db:5432/app',
      'redis://default:ab@cd/efQz9@cache:6379',
      'postgres://app:x@y?zQz9@db/app',
    ]) {
      const problem = credentialsProblem(url);
      assert.match(problem ?? '', /an "@" after the host: percent-encode @/, url);
      assert.doesNotMatch(problem ?? '', /Secr3t|Qz9/);
    }
  });

  it('a bare % is refused; percent-encoded passwords, no password and non-URLs pass', () => {
    assert.match(credentialsProblem('redis://default:100%zz@cache:6379') ?? '', /write % as %25/);
    for (const url of [
      'postgres://app:ab%40Secr3t%2Frest@db:5432/app',
      'redis://cache:6379/0',
      'postgres://db/app?sslmode=verify-full',
      'not a url',
    ])
      assert.equal(credentialsProblem(url), undefined, url);
  });
});
