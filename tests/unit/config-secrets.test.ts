// Which settings are secret and what of them the redactor masks: secret-looking names, credentials in URL
// settings, a .env value the environment overrides, values too short to mask; and the secrets tasks deploy.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { envSecrets } from '../../lib/config/env-secrets.js';
import { errorNotes, loadConfig } from '../../lib/config/load.js';
import { FoundationError } from '../../lib/errors.js';
import { urlCredentials } from '../../lib/telemetry/secret-values.js';
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
      'MY_SERVICE_TOKEN',
      'SIGNING_KEY',
    ])
      assert.ok(isSecretName(name), name);
    for (const name of [
      'LOG_LEVEL',
      'KAFKA_BROKERS',
      'SERVICE_NAME',
      'BYPASS',
      'KEYCLOAK_URL',
      'TOKENIZER',
      'PARTITION_KEY',
      'PUBLIC_KEY',
      'DISABLE_AUTH',
      'K8S_SECRET_NAME',
      'SECRETS_DIR',
    ])
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
      'xyz%2B1',
      'xyz+1',
    ]);
    // As written (`+` and `/` raw) and decoded, so the URL printed as given is masked too.
    assert.deepEqual(urlCredentials('http://x/?sig=ab+cd/ef%3D'), [
      'ab+cd/ef%3D',
      'ab cd/ef=',
      'ab%20cd%2Fef%3D',
    ]);
    // Credentials by a word in their name, whatever the provider calls them, after `#` too.
    assert.deepEqual(urlCredentials('https://m.example/dl?private_token=gl-t0k3n&ref=main'), ['gl-t0k3n']);
    assert.deepEqual(
      urlCredentials(
        'https://s.example/o?X-Goog-Signature=5a1b&X-Amz-Credential=AKIDX%2F1&X-Amz-Security-Token=st0k&v=1',
      ),
      ['5a1b', 'AKIDX%2F1', 'AKIDX/1', 'st0k'],
    );
    assert.deepEqual(urlCredentials('https://g.example/cb#access_token=fr4g&state=xyz'), ['fr4g']);
    assert.deepEqual(urlCredentials('https://g.example/?client_secret=cs3&passwd=pw4&apikey=k5'), [
      'cs3',
      'pw4',
      'k5',
    ]);
    assert.deepEqual(
      urlCredentials('https://g.example/?session_id=s1&code=c2&subscription-key=k3&license_key=k4&pw=p5'),
      ['s1', 'c2', 'k3', 'k4', 'p5'],
    );
    // Names that only look alike, or describe a credential, are kept: their values are common words.
    assert.deepEqual(
      urlCredentials(
        'https://g.example/?keyword=a&monkey=b&author=c&page=2&token_type=bearer&SignatureMethod=HmacSHA256&X-Amz-Expires=300',
      ),
      [],
    );
    assert.deepEqual(urlCredentials('https://foundation@host.example/'), [], 'a short user name is no token');
    assert.deepEqual(urlCredentials('http://prometheus:9090'), []);
    assert.deepEqual(urlCredentials('not a url'), []);
  });

  it('masks a mirror’s private_token and a signed URL’s signature in what a command prints', () => {
    const [token, signature] = [madeUpSecret('glpat'), madeUpSecret('goog')];
    const dir = workspace(
      `TOOLS_MIRROR=https://mirror.example/dl?private_token=${token}\nGRAFANA_URL=http://127.0.0.1:3000/?X-Goog-Signature=${signature}#access_token=${token}\n`,
    );
    const { secretValues } = loadConfig({ workspace: dir, env: {} });
    const r = new Redactor(secretValues);
    assert.equal(
      r.redact(
        `E_DOWNLOAD_FAILED: https://mirror.example/dl/k3d?private_token=${token} could not be fetched`,
      ),
      'E_DOWNLOAD_FAILED: https://mirror.example/dl/k3d?private_token=*** could not be fetched',
    );
    assert.doesNotMatch(
      r.redact(`open http://127.0.0.1:3000/?X-Goog-Signature=${signature}`),
      new RegExp(signature),
    );
  });

  it('masks a token in a URL setting in what a command prints', () => {
    const [user, param] = [madeUpSecret('glsa'), madeUpSecret('p')];
    const dir = workspace(
      `GRAFANA_URL=http://${user}@127.0.0.1:3000/\nLOKI_URL=http://127.0.0.1:3100/?token=${param}\n`,
    );
    const { secretValues } = loadConfig({ workspace: dir, env: {} });
    const r = new Redactor(secretValues);
    assert.equal(
      r.redact(`GET http://${user}@127.0.0.1:3000/api/health and /?token=${param}`),
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

  it('an empty variable in the environment does not erase .env’s value', async () => {
    const dir = workspace('FOUNDATION_TARGET=compose\nKAFKA_BROKERS=broker.internal:9092\n');
    const { config } = loadConfig({ workspace: dir, env: { FOUNDATION_TARGET: '', KAFKA_BROKERS: '' } });
    assert.equal(config.target, 'compose');
    assert.deepEqual([...config.kafkaBrokers], ['broker.internal:9092']);
    const value = madeUpSecret('grafana');
    const files = { read: () => Promise.resolve(`GRAFANA_ADMIN_PASSWORD=${value}\n`) } as unknown as Files;
    assert.deepEqual(await envSecrets(files, { GRAFANA_ADMIN_PASSWORD: '' }), {
      GRAFANA_ADMIN_PASSWORD: value,
    });
  });

  it('does not warn about short values of variables the shell exports that are not Foundation’s', () => {
    const dir = workspace('');
    assert.deepEqual(loadConfig({ workspace: dir, env: { SOME_TOOL_TOKEN: '1' } }).warnings, []);
  });

  it('an invalid setting comes with the warning that explains it (the value cut at its "#"), never the value', () => {
    const dir = workspace('GRAFANA_ADMIN_PASSWORD=abcdefgh#ijklmnopqrstuvwxyz\n');
    assert.throws(
      () => loadConfig({ workspace: dir, env: {} }),
      (error: unknown) => {
        assert.ok(error instanceof FoundationError);
        assert.equal(error.code, 'E_CONFIG_INVALID');
        assert.match(error.message, /GRAFANA_ADMIN_PASSWORD.*the value has 8 characters/);
        assert.match(
          error.message,
          /\n {2}note: GRAFANA_ADMIN_PASSWORD \(\.env line 1\): the value is read only up to its "#"/,
        );
        assert.doesNotMatch(error.message, /abcdefgh|ijklmn/);
        return true;
      },
    );
  });

  it('an invalid setting comes with the warnings about it only; the others are counted', () => {
    const dir = workspace('FOUNDATION_TARGT=compose\nGRAFANA_ADMIN_PASSWORD=abcdefgh#ijklmnopqrstuvwxyz\n');
    assert.throws(
      () => loadConfig({ workspace: dir, env: {} }),
      (error: unknown) => {
        assert.ok(error instanceof FoundationError);
        assert.match(error.message, /note: GRAFANA_ADMIN_PASSWORD \(\.env line 2\)/);
        assert.doesNotMatch(error.message, /FOUNDATION_TARGT/);
        assert.match(
          error.message,
          /\n {2}\(1 more \.env warning about other settings, shown once the configuration is valid\)$/,
        );
        return true;
      },
    );
    const message =
      'invalid configuration (values are never shown):\n  - KAFKA_BROKERS (from .env line 3): expected host:port';
    assert.equal(
      errorNotes(message, [
        'KAFKA_BROKERS is set on .env lines 1 and 3: line 3 wins',
        'KAFKA_BROKERS_X (.env line 4) …',
      ]),
      '\n  note: KAFKA_BROKERS is set on .env lines 1 and 3: line 3 wins\n  (1 more .env warning about other settings, shown once the configuration is valid)',
    );
    assert.equal(errorNotes('something else went wrong', ['a', 'b']), '\n  note: a\n  note: b');
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
