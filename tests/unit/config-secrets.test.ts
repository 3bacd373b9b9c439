// Which settings are secret and what of them the redactor masks: secret-looking names, credentials in URL
// settings, a .env value the environment overrides, values too short to mask; and the secrets tasks deploy.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { envSecrets } from '../../lib/config/env-secrets.js';
import { loadConfig } from '../../lib/config/load.js';
import { urlCredentials } from '../../lib/config/schema.js';
import { isSecretName } from '../../lib/config/variables.js';
import { Redactor } from '../../lib/redact.js';
import { madeUpSecret } from '../helpers/fixtures.js';
import type { Files } from '../../lib/ports/host.js';

const workspace = (env: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-secrets-'));
  writeFileSync(join(dir, '.env'), env);
  return dir;
};

describe('secret settings', () => {
  it('takes the usual names of secrets for secrets, and leaves ordinary names alone', () => {
    for (const name of [
      'AWS_SECRET_ACCESS_KEY',
      'SECRET_KEY_BASE',
      'DB_PASS',
      'GPG_PASSPHRASE',
      'SENTRY_DSN',
      'SLACK_WEBHOOK_URL',
      'STRIPE_API_KEY',
      'NPM_AUTH',
      'MY_SERVICE_TOKEN',
      'SIGNING_KEY',
    ])
      assert.ok(isSecretName(name), name);
    for (const name of ['LOG_LEVEL', 'KAFKA_BROKERS', 'SERVICE_NAME', 'BYPASS', 'KEYCLOAK_URL', 'TOKENIZER'])
      assert.ok(!isSecretName(name), name);
  });

  it('finds the credentials of a URL: password, a token given as the user, credential-like parameters', () => {
    assert.deepEqual(urlCredentials('https://bob:s3cr%2Fet-pw@grafana.example'), [
      's3cr%2Fet-pw',
      's3cr/et-pw',
      'bob:s3cr%2Fet-pw',
    ]);
    assert.deepEqual(urlCredentials('http://ghp_tokenvalue123@127.0.0.1:3000/'), ['ghp_tokenvalue123']);
    assert.deepEqual(urlCredentials('http://loki:3100/?api_key=k3y-value&org=a b&sig=xyz%2B1'), [
      'k3y-value',
      'xyz+1',
      'xyz%2B1',
    ]);
    assert.deepEqual(urlCredentials('http://prometheus:9090'), []);
    assert.deepEqual(urlCredentials('not a url'), []);
  });

  it('masks a token in a URL setting in what a command prints', () => {
    const dir = workspace(
      'GRAFANA_URL=http://glsa_a1b2c3d4e5@127.0.0.1:3000/\nLOKI_URL=http://127.0.0.1:3100/?token=abcdef123\n',
    );
    const { secretValues } = loadConfig({ workspace: dir, env: {} });
    const r = new Redactor(secretValues);
    assert.equal(
      r.redact('GET http://glsa_a1b2c3d4e5@127.0.0.1:3000/api/health and /?token=abcdef123'),
      'GET http://***@127.0.0.1:3000/api/health and /?token=***',
    );
  });

  it('masks the .env value of a secret the environment overrides (it is still in .env)', () => {
    const dir = workspace('POSTGRES_PASSWORD=the-value-in-dot-env-123\n');
    const { secretValues } = loadConfig({
      workspace: dir,
      env: { POSTGRES_PASSWORD: 'the-value-from-env-456' },
    });
    assert.ok(secretValues.includes('the-value-in-dot-env-123'));
    assert.ok(secretValues.includes('the-value-from-env-456'));
  });

  it('warns, by name only, of a secret too short to mask', () => {
    const dir = workspace('SHORT_TOKEN=abcd\nLONG_TOKEN=abcdefgh\n');
    const { warnings } = loadConfig({ workspace: dir, env: {} });
    assert.deepEqual(warnings, [
      'SHORT_TOKEN (.env line 1) is shorter than 6 characters: output cannot mask a value that short, so it may appear in logs; use a longer secret',
    ]);
  });
});

describe('the secrets tasks deploy', () => {
  const files = (text: string | null): Files =>
    ({ read: (path: string) => Promise.resolve(path === '.env' ? text : null) }) as unknown as Files;

  it('are .env’s secret-looking variables, each as the environment overrides it', async () => {
    const [inFile, token, fromEnv] = [madeUpSecret('file'), madeUpSecret('tok'), madeUpSecret('env')];
    const text = `POSTGRES_PASSWORD=${inFile}\nMY_API_TOKEN=${token}\nLOG_LEVEL=info\nEMPTY_TOKEN=\n`;
    assert.deepEqual(await envSecrets(files(text), {}), { POSTGRES_PASSWORD: inFile, MY_API_TOKEN: token });
    assert.deepEqual(await envSecrets(files(text), { POSTGRES_PASSWORD: fromEnv, HOME: '/root' }), {
      POSTGRES_PASSWORD: fromEnv,
      MY_API_TOKEN: token,
    });
  });

  it('take Foundation’s own secrets from the environment alone, never other variables that happen to be there', async () => {
    const grafana = madeUpSecret('set-in-ci');
    assert.deepEqual(
      await envSecrets(files(null), { GRAFANA_ADMIN_PASSWORD: grafana, GITHUB_TOKEN: madeUpSecret('gh') }),
      { GRAFANA_ADMIN_PASSWORD: grafana },
    );
  });
});
