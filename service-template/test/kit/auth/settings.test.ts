import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { authSettings } from '../../../src/kit/auth/index.js';

const parse = (env: Record<string, string>) =>
  z.object(authSettings).safeParse({ AUTH_ISSUER: 'https://id.example', AUTH_AUDIENCE: 'items', ...env });

describe('auth part: settings', () => {
  it('defaults: asymmetric algorithms, 30 s skew, 10 min cache, 30 s cooldown', () => {
    const parsed = parse({ AUTH_JWKS_URL: 'https://id.example/jwks.json' });
    assert.ok(parsed.success);
    assert.deepEqual(parsed.data.AUTH_ALGORITHMS, ['RS256', 'ES256', 'EdDSA']);
    assert.deepEqual(parsed.data.AUTH_AUDIENCE, ['items']);
    assert.equal(parsed.data.AUTH_CLOCK_SKEW_SECONDS, 30);
    assert.equal(parsed.data.AUTH_JWKS_CACHE_MAX_AGE_SECONDS, 600);
    assert.equal(parsed.data.AUTH_JWKS_COOLDOWN_SECONDS, 30);
    assert.deepEqual(parsed.data.AUTH_PUBLIC_PATHS, []);
  });

  it('unset: the service refuses to start, saying which are required (not "received undefined")', () => {
    assert.throws(
      () => loadConfig({}),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const lines = error.message.split('\n').slice(1);
        assert.ok(lines.includes('  - AUTH_JWKS_URL: not set (required)'), error.message);
        assert.ok(lines.includes('  - AUTH_ISSUER: not set (required)'), error.message);
        // Every setting the kit requires (DATABASE_URL and REDIS_URL too, with those parts) says the same.
        for (const line of lines) assert.match(line, /^ {2}- [A-Z_]+: not set \(required\)$/);
        return true;
      },
    );
  });

  it('plain http only on loopback or inside the cluster', () => {
    for (const url of [
      'http://127.0.0.1:8080/jwks',
      'http://localhost/jwks',
      'http://keycloak.auth.svc.cluster.local/jwks',
    ]) {
      assert.ok(parse({ AUTH_JWKS_URL: url }).success, url);
    }
    for (const url of ['http://id.example/jwks', 'ftp://id.example/jwks', 'not a url']) {
      assert.ok(!parse({ AUTH_JWKS_URL: url }).success, url);
    }
  });

  it('never none or HS* among the algorithms', () => {
    for (const algs of ['none', 'HS256', 'RS256,HS512', '']) {
      assert.ok(!parse({ AUTH_JWKS_URL: 'https://id.example/jwks', AUTH_ALGORITHMS: algs }).success, algs);
    }
    assert.ok(parse({ AUTH_JWKS_URL: 'https://id.example/jwks', AUTH_ALGORITHMS: 'PS256, ES384' }).success);
  });

  it('issuer and audience are required', () => {
    assert.ok(!z.object(authSettings).safeParse({ AUTH_JWKS_URL: 'https://id.example/jwks' }).success);
  });

  it('refuses at start what would make every request fail: blank issuer or audiences, credentials in the JWKS URL, a public path without /', () => {
    const jwks = 'https://id.example/jwks';
    const problems = (env: Record<string, string>): string[] =>
      parse({ AUTH_JWKS_URL: jwks, ...env }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ??
      [];
    assert.deepEqual(problems({ AUTH_AUDIENCE: ' , ' }), [
      'AUTH_AUDIENCE: names no audience (only commas and spaces)',
    ]);
    assert.deepEqual(problems({ AUTH_ISSUER: '  ' }), ['AUTH_ISSUER: is blank']);
    assert.deepEqual(problems({ AUTH_JWKS_URL: 'https://svc:S3cret-pw@id.example/jwks' }), [
      'AUTH_JWKS_URL: must not carry a user or password (fetch refuses them): a key set is public, served without a login',
    ]);
    assert.deepEqual(problems({ AUTH_PUBLIC_PATHS: '/docs,items' }), [
      "AUTH_PUBLIC_PATHS: each is a route template starting with '/', e.g. /docs,/items/:id",
    ]);
    assert.deepEqual(parse({ AUTH_JWKS_URL: jwks, AUTH_AUDIENCE: 'items, orders ,' }).data?.AUTH_AUDIENCE, [
      'items',
      'orders',
    ]);
  });
});
