import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import {
  AUDIENCE,
  ISSUER,
  jwksServer,
  signingKey,
  token,
  type JwksServer,
  type SigningKey,
} from './jwks-server.js';
import { KEYS_UNREACHABLE } from '../../../src/kit/auth/errors.js';
import { authApp, type AuthApp } from './harness.js';

const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

describe('auth part: bearer tokens on HTTP routes', () => {
  let jwks: JwksServer;
  let key: SigningKey;
  let kit: AuthApp;
  const tokens: string[] = [];
  const signed = async (...args: Parameters<typeof token>) => {
    const value = await token(...args);
    tokens.push(value);
    return value;
  };
  before(async () => {
    key = await signingKey('k1');
    jwks = await jwksServer([key]);
    kit = await authApp(jwks.url, { AUTH_JWKS_COOLDOWN_SECONDS: '0' });
  });
  after(async () => {
    // Either may be unset when before() failed: the other is still closed.
    try {
      if ((kit as AuthApp | undefined) !== undefined) await kit.close();
    } finally {
      if ((jwks as JwksServer | undefined) !== undefined) await jwks.close();
    }
  });

  it('a valid token: 200, claims on the request (sub, scopes, roles)', async () => {
    const value = await signed(key, { scope: 'items:read items:write', roles: ['admin'] });
    const res = await kit.app.inject({ url: '/me', headers: bearer(value) });
    assert.equal(res.statusCode, 200);
    const claims = res.json<{ sub: string; scopes: string[]; roles: string[]; issuer: string }>();
    assert.deepEqual(
      [claims.sub, claims.scopes, claims.roles, claims.issuer],
      ['alice', ['items:read', 'items:write'], ['admin'], ISSUER],
    );
    assert.ok(!res.body.includes(value), 'the token is not echoed');
  });

  it('no Authorization header: 401 in the common error shape, with WWW-Authenticate', async () => {
    const res = await kit.app.inject({ url: '/me' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="items"');
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'UNAUTHORIZED');
    const basic = await kit.app.inject({ url: '/me', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    assert.equal(basic.statusCode, 401);
  });

  it('expired beyond the clock skew: 401 invalid_token; expired within it: accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await kit.app.inject({ url: '/me', headers: bearer(await signed(key, {}, now - 120)) });
    assert.equal(expired.statusCode, 401);
    assert.match(
      String(expired.headers['www-authenticate']),
      /error="invalid_token", error_description="the token has expired"/,
    );
    const justExpired = await kit.app.inject({ url: '/me', headers: bearer(await signed(key, {}, now - 5)) });
    assert.equal(justExpired.statusCode, 200);
  });

  it('wrong audience, wrong issuer, no subject: 401 naming the claim, not its value', async () => {
    for (const [payload, claim] of [
      [{ aud: 'billing' }, 'aud'],
      [{ iss: 'https://evil.example' }, 'iss'],
      [{ sub: undefined }, 'sub'],
    ] as const) {
      const res = await kit.app.inject({ url: '/me', headers: bearer(await signed(key, payload)) });
      assert.equal(res.statusCode, 401, claim);
      const message = res.json<{ error: { message: string } }>().error.message;
      assert.match(message, new RegExp(`"${claim}" claim`));
      assert.doesNotMatch(message, /billing|evil/);
    }
  });

  it('alg none and HS256 tokens are refused', async () => {
    const none = new UnsecuredJWT({ sub: 'alice' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .encode();
    const hs = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a shared secret of thirty-two bytes!'));
    tokens.push(none, hs);
    for (const value of [none, hs]) {
      const res = await kit.app.inject({ url: '/me', headers: bearer(value) });
      assert.equal(res.statusCode, 401);
    }
  });

  it('an unknown key id: the key set is fetched once more, then the new key is accepted or the token refused', async () => {
    await kit.app.inject({ url: '/me', headers: bearer(await signed(key)) }); // keys cached
    const rotated = await signingKey('k2', 'RS256');
    jwks.publish([key, rotated]);
    const before = jwks.hits();
    const res = await kit.app.inject({ url: '/me', headers: bearer(await signed(rotated)) });
    assert.equal(res.statusCode, 200);
    assert.equal(jwks.hits(), before + 1);
    const stranger = await signingKey('k3');
    const refused = await kit.app.inject({ url: '/me', headers: bearer(await signed(stranger)) });
    assert.equal(refused.statusCode, 401);
    assert.equal(jwks.hits(), before + 2);
    assert.match(
      refused.json<{ error: { message: string } }>().error.message,
      /key the identity provider does not publish/,
    );
  });

  it('a scope the token lacks: 403 insufficient_scope; with it: allowed', async () => {
    const reader = await kit.app.inject({
      method: 'POST',
      url: '/items',
      headers: bearer(await signed(key, { scope: 'items:read' })),
    });
    assert.equal(reader.statusCode, 403);
    assert.equal(reader.json<{ error: { code: string } }>().error.code, 'FORBIDDEN');
    assert.equal(
      reader.headers['www-authenticate'],
      'Bearer error="insufficient_scope", scope="items:write"',
    );
    const writer = await kit.app.inject({
      method: 'POST',
      url: '/items',
      headers: bearer(await signed(key, { scp: ['items:write'] })),
    });
    assert.equal(writer.statusCode, 201);
  });

  it('probes and /metrics need no token; other routes, unknown ones included, do', async () => {
    for (const url of ['/livez', '/readyz', '/health', '/ready', '/metrics']) {
      assert.equal((await kit.app.inject({ url })).statusCode, 200, url);
    }
    assert.equal((await kit.app.inject({ url: '/docs' })).statusCode, 401);
    assert.equal((await kit.app.inject({ url: '/no/such/route' })).statusCode, 401);
  });

  it('no token reached a log line in any of the above (access log, errors)', async () => {
    await kit.app.inject({ url: '/boom', headers: bearer(await signed(key)) }); // an INTERNAL error, logged
    const written = JSON.stringify(kit.logs);
    assert.ok(
      kit.logs.some((l) => l.msg === 'request completed'),
      'the access log was captured',
    );
    assert.ok(
      kit.logs.some((l) => l.msg === 'request failed'),
      'the error line was captured',
    );
    assert.ok(tokens.length >= 10);
    for (const value of tokens) assert.ok(!written.includes(value), 'a token was logged');
  });
});

describe('auth part: settings and outages', () => {
  it('AUTH_PUBLIC_PATHS opens routes; within the cooldown an unknown key is refused without a fetch', async () => {
    const key = await signingKey('k1');
    const jwks = await jwksServer([key]);
    let kit: AuthApp | undefined;
    try {
      kit = await authApp(jwks.url, { AUTH_PUBLIC_PATHS: '/docs' });
      assert.equal((await kit.app.inject({ url: '/docs' })).statusCode, 200);
      // A method the public path does not serve: 405 without a token. An unknown path, or a method a
      // protected path does not serve, still wants one (401: which methods it takes is not said to strangers).
      const wrongMethod = await kit.app.inject({ method: 'DELETE', url: '/docs?x=1' });
      assert.deepEqual([wrongMethod.statusCode, wrongMethod.headers.allow], [405, 'GET, HEAD']);
      assert.equal((await kit.app.inject({ url: '/nowhere' })).statusCode, 401);
      const protectedWrongMethod = await kit.app.inject({ method: 'DELETE', url: '/me' });
      assert.deepEqual(
        [protectedWrongMethod.statusCode, protectedWrongMethod.headers.allow],
        [401, undefined],
      );
      assert.equal((await kit.app.inject({ url: '/me', headers: bearer(await token(key)) })).statusCode, 200);
      const hits = jwks.hits();
      const res = await kit.app.inject({ url: '/me', headers: bearer(await token(await signingKey('k9'))) });
      assert.equal(res.statusCode, 401);
      assert.equal(jwks.hits(), hits);
    } finally {
      await kit?.close();
      await jwks.close();
    }
  });

  it('the key set unreachable: 503 UNAVAILABLE (the token may be fine), without WWW-Authenticate', async () => {
    const key = await signingKey('k1');
    const jwks = await jwksServer([key]);
    let kit: AuthApp | undefined;
    try {
      jwks.fail(true);
      kit = await authApp(jwks.url);
      const res = await kit.app.inject({ url: '/me', headers: bearer(await token(key)) });
      assert.equal(res.statusCode, 503);
      assert.equal(res.headers['www-authenticate'], undefined);
      // The caller learns neither where the keys live nor the setting's name; the log says both.
      const message = res.json<{ error: { message: string } }>().error.message;
      assert.equal(message, KEYS_UNREACHABLE);
      assert.doesNotMatch(res.body, /127\.0\.0\.1|AUTH_JWKS_URL/);
      // More calls in the same outage: refused too, and still one warning (not a line per request).
      for (let i = 0; i < 3; i += 1)
        assert.equal(
          (await kit.app.inject({ url: '/me', headers: bearer(await token(key)) })).statusCode,
          503,
        );
      const logged = kit.partLogs.filter((l) => String(l.msg).startsWith('auth: cannot fetch'));
      assert.equal(logged.length, 1);
      assert.equal(logged[0]?.jwks, new URL(jwks.url).origin);
      assert.equal(logged[0].level, 'warn');
      assert.equal(typeof logged[0].reason, 'string');
      jwks.fail(false);
      assert.equal((await kit.app.inject({ url: '/me', headers: bearer(await token(key)) })).statusCode, 200);
      const back = kit.partLogs.filter((l) => String(l.msg).startsWith('auth: tokens are checked'));
      assert.deepEqual(
        back.map((l) => [l.level, l.callsRefused]),
        [['info', 4]],
      );
      const metrics = await kit.registry.metrics();
      assert.match(metrics, /auth_tokens_total\{result="unavailable"\} 4/);
      assert.match(metrics, /auth_tokens_total\{result="accepted"\} 1/);
      assert.match(metrics, /auth_tokens_total\{result="rejected"\} 0/);
    } finally {
      await kit?.close();
      await jwks.close();
    }
  });
});
