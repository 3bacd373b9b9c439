import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseEnvFile, planEnvFile } from '../../lib/config/env-file.js';
import { loadConfig } from '../../lib/config/load.js';
import { parseConfig, type RawValue } from '../../lib/config/schema.js';
import { FoundationError } from '../../lib/errors.js';
import { setupBlocked } from '../../lib/prereqs/setup-drift.js';

const raw = (vars: Record<string, string>) =>
  new Map<string, RawValue>(Object.entries(vars).map(([k, v]) => [k, { value: v, source: '.env line 1' }]));

function configError(vars: Record<string, string>): FoundationError {
  try {
    parseConfig(raw(vars));
  } catch (e) {
    if (e instanceof FoundationError) return e;
    throw e;
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it('applies defaults and freezes the result', () => {
    const { config } = parseConfig(raw({}));
    assert.equal(config.target, 'k3d');
    assert.equal(config.concurrency, 4);
    assert.deepEqual(config.kafkaBrokers, ['localhost:19092']);
    assert.equal(config.kafkaClient, 'platformatic');
    assert.ok(Object.isFrozen(config));
  });

  const invalid: [string, Record<string, string>, string][] = [
    [
      'unknown target',
      { FOUNDATION_TARGET: 'kube' },
      'FOUNDATION_TARGET (from .env line 1): expected one of k3d | compose | cluster; the value is not one of them',
    ],
    ['concurrency not a number', { FOUNDATION_CONCURRENCY: 'lots' }, 'FOUNDATION_CONCURRENCY'],
    ['concurrency out of range', { FOUNDATION_CONCURRENCY: '0' }, 'a whole number from 1 to 16'],
    ['bad log level', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ['malformed brokers', { KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS'],
    [
      'an unknown Kafka client',
      { KAFKA_CLIENT: 'kafkajss' },
      "KAFKA_CLIENT (from .env line 1): expected one of platformatic | kafkajs (the Kafka client of foundation validate's bus probes); the value is not one of them (did you mean kafkajs?)",
    ],
    [
      'a chart repository that is not a URL',
      { HELM_REPO_GRAFANA: 'grafana' },
      'HELM_REPO_GRAFANA (from .env line 1): expected the URL of the "grafana" chart repository',
    ],
    [
      'a chart repository over ftp',
      { HELM_REPO_GRAFANA_COMMUNITY: 'ftp://charts.test/x' },
      'HELM_REPO_GRAFANA_COMMUNITY',
    ],
  ];
  it('takes KAFKA_CLIENT=kafkajs', () => {
    assert.equal(parseConfig(raw({ KAFKA_CLIENT: 'kafkajs' })).config.kafkaClient, 'kafkajs');
  });

  for (const [name, vars, text] of invalid) {
    it(`rejects ${name} with exit 2, naming the variable`, () => {
      const error = configError(vars);
      assert.equal(error.code, 'E_CONFIG_INVALID');
      assert.equal(error.exitCode, 2);
      assert.ok(error.message.includes(text), error.message);
    });
  }

  it('never shows a secret value, even an invalid one', () => {
    const error = configError({ GRAFANA_ADMIN_PASSWORD: 'short-pw' });
    assert.ok(error.message.includes('GRAFANA_ADMIN_PASSWORD'));
    assert.ok(error.message.includes('the value has 8 characters'));
    assert.ok(!error.message.includes('short-pw'));
  });

  it('reports every problem at once', () => {
    const error = configError({ FOUNDATION_TARGET: 'x', LOG_LEVEL: 'y' });
    assert.ok(error.message.includes('FOUNDATION_TARGET') && error.message.includes('LOG_LEVEL'));
  });

  it('collects secret values for the redactor, also of unknown secret-looking names', () => {
    const { secretValues } = parseConfig(
      raw({ GRAFANA_ADMIN_PASSWORD: 'a-long-enough-secret!', MY_API_TOKEN: 'tok-123456', LOG_LEVEL: 'info' }),
    );
    assert.deepEqual([...secretValues].sort(), ['a-long-enough-secret!', 'tok-123456']);
  });

  it('loads .env, lets the environment win, and the command line win over both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(
      join(dir, '.env'),
      'FOUNDATION_TARGET=compose\nLOG_LEVEL=debug\nFOUNDATION_CONCURRENCY=2\n',
    );
    const { config } = loadConfig({
      workspace: dir,
      env: { LOG_LEVEL: 'warn' },
      overrides: { FOUNDATION_CONCURRENCY: { value: '7', source: '--concurrency' } },
    });
    assert.equal(config.target, 'compose');
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.concurrency, 7);
  });

  it('takes a setting set but empty (KAFKA_BROKERS= in .env) as unset: the default applies', () => {
    const { config } = parseConfig(raw({ KAFKA_BROKERS: '', FOUNDATION_TARGET: '' }));
    assert.deepEqual([...config.kafkaBrokers], ['localhost:19092']);
    assert.equal(config.target, 'k3d');
  });

  it('names the source of a bad value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, '.env'), '# comment\n\nFOUNDATION_TARGET=nowhere\n');
    assert.throws(
      () => loadConfig({ workspace: dir, env: {} }),
      (e: unknown) =>
        e instanceof FoundationError && e.message.includes('FOUNDATION_TARGET (from .env line 3)'),
    );
  });
});

describe('.env that cannot be read', () => {
  it('a folder named .env: E_ENV_FILE_MALFORMED (exit 2) saying so, with the fix, not a bug', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    mkdirSync(join(dir, '.env'));
    assert.throws(
      () => loadConfig({ workspace: dir, env: {} }),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_ENV_FILE_MALFORMED' &&
        e.exitCode === 2 &&
        /\.env cannot be read \(it is a folder\)/.test(e.message) &&
        /rmdir/.test(e.fix ?? ''),
    );
  });

  it('a named pipe as .env: refused at once (a read would block for good, deaf to Ctrl+C)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    execFileSync('mkfifo', [join(dir, '.env')]);
    assert.throws(
      () => loadConfig({ workspace: dir, env: {} }),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_ENV_FILE_MALFORMED' &&
        /\.env is not a file \(a named pipe/.test(e.message),
    );
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('.env files', () => {
  it('parses quotes, "=", spaces, unicode and multi-line values', () => {
    const text = 'A="x = y"\nB=\'single # not a comment\'\nexport C=ünïcødé ✓\nD="line1\nline2"\nE=\n';
    const env = parseEnvFile(text, '.env');
    assert.equal(env.get('A')?.value, 'x = y');
    assert.equal(env.get('B')?.value, 'single # not a comment');
    assert.equal(env.get('C')?.value, 'ünïcødé ✓');
    assert.equal(env.get('D')?.value, 'line1\nline2');
    assert.equal(env.get('E')?.value, '');
    assert.equal(env.get('E')?.line, 6);
  });

  const malformed: [string, string, string][] = [
    ['a line without =', 'GOOD=1\nthis is not a setting\n', 'line 2: not a KEY=value assignment'],
    ['a bad key', '1BAD=x\n', 'line 1'],
    [
      'an unterminated quote',
      'A="open\nB=2\n',
      'line 1: the value of A opens a " quote that is never closed',
    ],
    [
      'base64 padding as a value',
      'dGhpc2lzYXNlY3JldA==\n',
      'line 1: looks like a value pasted without its name',
    ],
    [
      'base64 with one "=" of padding as a value',
      'A=1\nc2VjcmV0LXZhbHVlMTIzNDU2Nzg=\n',
      'line 2: looks like a value pasted without its name (a long mix of letters and digits, then "=")',
    ],
  ];
  it('keeps an empty variable whose name is a name: capitals, "_", or short', () => {
    const env = parseEnvFile('ORDERS_API_FEATURE_FLAG2=\nmyFlag=\nSERVICEACCOUNTNAME2=\n', '.env');
    assert.deepEqual([...env.keys()], ['ORDERS_API_FEATURE_FLAG2', 'myFlag', 'SERVICEACCOUNTNAME2']);
  });

  for (const [name, text, message] of malformed) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => parseEnvFile(text, '.env'),
        (e: unknown) =>
          e instanceof FoundationError && e.code === 'E_ENV_FILE_MALFORMED' && e.message.includes(message),
      );
    });
  }
});

describe('.env generation', () => {
  const example =
    '# target\nFOUNDATION_TARGET=k3d\n\n# Secret.\nGRAFANA_ADMIN_PASSWORD=\n# optional\nOPTIONAL_THING=\n';
  let n = 0;
  const gen = () => `generated-${++n}-abcdefghijklmnop`;

  it('creates .env from the example, generating empty secrets', () => {
    const plan = planEnvFile(example, null, gen);
    assert.deepEqual(
      plan.changes.map((c) => `${c.kind}:${c.name}`),
      ['add:FOUNDATION_TARGET', 'generate:GRAFANA_ADMIN_PASSWORD', 'add:OPTIONAL_THING'],
    );
    const env = parseEnvFile(plan.text, '.env');
    assert.equal(env.get('FOUNDATION_TARGET')?.value, 'k3d');
    assert.match(env.get('GRAFANA_ADMIN_PASSWORD')?.value ?? '', /^generated-\d+-/);
    assert.ok(plan.text.includes('# Secret.'), 'comments from the example are kept');
  });

  it('a value chosen for the run (--target compose) is written instead of the example’s, only when added', () => {
    const first = planEnvFile(example, null, gen, { FOUNDATION_TARGET: 'compose' });
    assert.equal(parseEnvFile(first.text, '.env').get('FOUNDATION_TARGET')?.value, 'compose');
    assert.ok(first.text.includes('# target\nFOUNDATION_TARGET=compose'), 'its comment kept');
    const kept = planEnvFile(example, 'FOUNDATION_TARGET=k3d\n', gen, { FOUNDATION_TARGET: 'compose' });
    assert.equal(parseEnvFile(kept.text, '.env').get('FOUNDATION_TARGET')?.value, 'k3d', 'a set value stays');
  });

  it('never overwrites a value that is set, and keeps the user’s own lines', () => {
    const current = 'FOUNDATION_TARGET=compose\nGRAFANA_ADMIN_PASSWORD="my own, with = and spaces"\nMINE=1\n';
    const plan = planEnvFile(example, current, gen);
    assert.deepEqual(
      plan.changes.map((c) => c.name),
      ['OPTIONAL_THING'],
    );
    assert.ok(plan.text.startsWith(current));
    const env = parseEnvFile(plan.text, '.env');
    assert.equal(env.get('GRAFANA_ADMIN_PASSWORD')?.value, 'my own, with = and spaces');
    assert.equal(env.get('MINE')?.value, '1');
  });

  it('fills an empty generated secret in place, but leaves other empty values alone', () => {
    const current = 'FOUNDATION_TARGET=k3d\nGRAFANA_ADMIN_PASSWORD=\nOPTIONAL_THING=\n';
    const plan = planEnvFile(example, current, gen);
    assert.deepEqual(plan.changes, [{ name: 'GRAFANA_ADMIN_PASSWORD', kind: 'generate' }]);
    assert.match(plan.text.split('\n')[1] ?? '', /^GRAFANA_ADMIN_PASSWORD=generated-/);
  });

  it('a secret set on one line and emptied on a later one: nothing generated over the user’s value', () => {
    const current =
      'FOUNDATION_TARGET=k3d\nGRAFANA_ADMIN_PASSWORD=mine\nOPTIONAL_THING=\nGRAFANA_ADMIN_PASSWORD=\n';
    const plan = planEnvFile(example, current, gen);
    assert.deepEqual(plan.changes, []);
    assert.deepEqual(plan.cutSecrets, [{ name: 'GRAFANA_ADMIN_PASSWORD', line: 4, earlier: 2 }]);
    const why = setupBlocked([], plan.cutSecrets, 'linux');
    assert.match(why?.reason ?? '', /set on \.env line 2 and emptied on line 4, which wins/);
    assert.match(why?.hint ?? '', /delete \.env line 4 to keep your value/);
    // Emptied twice, never set: generated as before.
    const twice = planEnvFile(
      example,
      'FOUNDATION_TARGET=k3d\nGRAFANA_ADMIN_PASSWORD=\nOPTIONAL_THING=\nGRAFANA_ADMIN_PASSWORD=\n',
      gen,
    );
    assert.deepEqual(twice.changes, [{ name: 'GRAFANA_ADMIN_PASSWORD', kind: 'generate' }]);
  });

  it('a CRLF .env stays CRLF, every line (no stray carriage return on its old last line)', () => {
    const current = 'FOUNDATION_TARGET=k3d\r\nGRAFANA_ADMIN_PASSWORD=\r\n';
    const plan = planEnvFile(example, current, gen);
    assert.ok(plan.changes.length > 0);
    assert.equal(plan.text.replace(/\r\n/g, '').includes('\r') || /[^\r]\n/.test(plan.text), false);
    assert.match(plan.text, /^FOUNDATION_TARGET=k3d\r\nGRAFANA_ADMIN_PASSWORD=generated-/);
  });

  it('generates nothing over a secret whose unquoted value starts with "#" (it is the user’s)', () => {
    const current = 'FOUNDATION_TARGET=k3d\nGRAFANA_ADMIN_PASSWORD=#myChosenPassw0rd\nOPTIONAL_THING=\n';
    const plan = planEnvFile(example, current, gen);
    assert.deepEqual(plan.changes, []);
    assert.equal(plan.text, current);
    assert.deepEqual(plan.cutSecrets, [{ name: 'GRAFANA_ADMIN_PASSWORD', line: 2 }]);
    const quoted = planEnvFile(example, current.replace('=#myChosenPassw0rd', '="#myChosenPassw0rd"'), gen);
    assert.deepEqual([quoted.changes, quoted.cutSecrets], [[], []]);
  });

  it('is a no-op when nothing is missing', () => {
    const current = 'FOUNDATION_TARGET=k3d\nGRAFANA_ADMIN_PASSWORD=xxxxxxxxxxxxxxxxxxxx\nOPTIONAL_THING=\n';
    const plan = planEnvFile(example, current, gen);
    assert.deepEqual(plan.changes, []);
    assert.equal(plan.text, current);
  });
});
