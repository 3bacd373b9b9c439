import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvFile } from '../../lib/config/env-file.js';
import { parseConfig, type RawValue } from '../../lib/config/schema.js';
import { FoundationError } from '../../lib/errors.js';

/** A small seeded PRNG (mulberry32): the same cases on every run, and a failing seed can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${ALNUM}+/`;

/** Values shaped like real credentials (made up here, at run time: none is real). */
function secret(r: () => number): string {
  const pick = (alphabet: string, n: number): string =>
    Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
  const shapes = [
    () => `AKIA${pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
    () => `ghp_${pick(ALNUM, 36)}`,
    () => `sk_live_${pick(ALNUM, 24)}`,
    () => `${pick(B64, 40)}==`,
    () => `eyJ${pick(ALNUM, 20)}.eyJ${pick(ALNUM, 30)}.${pick(ALNUM, 22)}`,
    () => pick('0123456789abcdef', 64),
    () => `${pick(ALNUM, 12)}-${pick(ALNUM, 12)}=${pick(ALNUM, 10)}`,
    () => `p@ss w0rd#${pick(ALNUM, 14)}`,
  ];
  return (shapes[Math.floor(r() * shapes.length)] ?? shapes[0])?.() ?? '';
}

/** Lines a human could write by mistake, each carrying the secret. */
const MALFORMED: ((s: string) => string)[] = [
  (s) => s, // pasted without its key
  (s) => `export ${s}`,
  (s) => `GRAFANA-ADMIN-PASSWORD=${s}`, // a key with a typo
  (s) => `GRAFANA_ADMIN_PASSWORD ${s}`, // a space instead of "="
  (s) => `=${s}`,
  (s) => `MY KEY=${s}`,
  (s) => `1ST_TOKEN=${s}`,
  (s) => `\t${s}\t`,
  (s) => `API_TOKEN="${s}`, // a quote never closed
  (s) =>
    `PRIVATE_KEY=-----BEGIN PRIVATE KEY-----\n${s}\n${s.split('').reverse().join('')}\n-----END PRIVATE KEY-----`,
];

/** Every 8-character piece of the secret: a partial echo is a leak too. */
function leaked(secretValue: string, output: string): string | null {
  for (let i = 0; i + 8 <= secretValue.length; i++) {
    const piece = secretValue.slice(i, i + 8);
    if (output.includes(piece)) return piece;
  }
  return null;
}

describe('.env errors never echo a value (property: random secrets in random malformed lines)', () => {
  it('500 cases: exit-2 error naming file and line, and no piece of any secret in message or fix', () => {
    const r = prng(0x5eed);
    for (let n = 0; n < 500; n++) {
      const s = secret(r);
      const form = Math.floor(r() * MALFORMED.length);
      const before = Array.from({ length: Math.floor(r() * 4) }, (_, i) => `OK_${i}=plain`);
      const text = [...before, MALFORMED[form]?.(s) ?? s, 'LOG_LEVEL=info', ''].join('\n');
      let error: unknown;
      try {
        parseEnvFile(text, '.env');
      } catch (e) {
        error = e;
      }
      const context = `case ${n}, form ${form}`;
      assert.ok(error instanceof FoundationError, `${context}: the line was refused`);
      assert.equal(error.code, 'E_ENV_FILE_MALFORMED', context);
      assert.equal(error.exitCode, 2, context);
      const firstBad = before.length + (form === MALFORMED.length - 1 ? 2 : 1); // the PEM's first line is valid
      assert.match(error.message, new RegExp(`line ${firstBad}: `), context);
      const piece = leaked(s, `${error.message}\n${error.fix ?? ''}\n${String(error.stack)}`);
      assert.equal(piece, null, `${context}: "${piece}" of the secret was echoed:\n${error.message}`);
    }
  });

  it('names the key when one can be read, and a known variable a broken name meant', () => {
    const message = (text: string): string => {
      try {
        parseEnvFile(text, '.env');
      } catch (e) {
        return e instanceof Error ? e.message : '';
      }
      return '';
    };
    assert.match(
      message('API_TOKEN="abcdefgh123'),
      /line 1: the value of API_TOKEN opens a " quote that is never closed/,
    );
    assert.match(message('grafana-admin-password=abcdefgh123'), /did you mean GRAFANA_ADMIN_PASSWORD\?/);
    assert.match(message('GRAFANA_ADMIN_PASSWORD abcdefgh123'), /no "=" after GRAFANA_ADMIN_PASSWORD/);
    assert.match(
      message('abcdefgh123'),
      /line 1: not a KEY=value assignment \(there is no "=" on this line\)/,
    );
    assert.match(message('=abcdefgh123'), /there is no variable name before "="/);
  });

  it('lists at most 10 bad lines, then counts the rest', () => {
    const text = Array.from({ length: 25 }, (_, i) => `bad line ${i}`).join('\n');
    assert.throws(
      () => parseEnvFile(text, '.env'),
      (e: unknown) =>
        e instanceof FoundationError &&
        /… and 15 more line\(s\)/.test(e.message) &&
        !/line 11:/.test(e.message),
    );
  });
});

describe('invalid settings never echo their value', () => {
  const raw = (vars: Record<string, string>) =>
    new Map<string, RawValue>(Object.entries(vars).map(([k, v]) => [k, { value: v, source: '.env line 4' }]));
  const r = prng(42);
  const cases: [string, (s: string) => string, RegExp][] = [
    [
      'FOUNDATION_TARGET',
      (s) => s,
      /expected one of k3d \| compose \| cluster; the value is not one of them/,
    ],
    ['LOG_LEVEL', (s) => s, /the value is not one of them/],
    ['FOUNDATION_CONCURRENCY', (s) => s, /expected a whole number from 1 to 16/],
    ['KAFKA_BROKERS', (s) => `admin:${s}@broker:9092`, /entry 1 of 1 has an "@"/],
    ['KAFKA_BROKERS', (s) => `broker:9092,${s}`, /entry 2 of 2/],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', (s) => `ftp://user:${s}@collector:4318`, /the value is not in that form/],
    ['HELM_REPO_GRAFANA', (s) => s, /expected the URL of the "grafana" chart repository/],
    ['CLUSTER_NAME', (s) => s, /expected a DNS-1123 label/],
    [
      'GRAFANA_ADMIN_PASSWORD',
      (s) => s.slice(0, 10),
      /expected a secret of 16 to 256 characters .*; the value has 10 characters/,
    ],
  ];
  for (const [name, shape, why] of cases) {
    it(`${name}: says what is expected and why, not what was given`, () => {
      const s = `${secret(r)}Zq9`;
      const value = shape(s);
      assert.throws(
        () => parseConfig(raw({ [name]: value })),
        (e: unknown) => {
          assert.ok(e instanceof FoundationError && e.code === 'E_CONFIG_INVALID');
          assert.match(e.message, new RegExp(`${name} \\(from \\.env line 4\\): `));
          assert.match(e.message, why);
          assert.equal(leaked(value.length >= 8 ? value : s, e.message), null, e.message);
          return true;
        },
      );
    });
  }

  it('suggests the closest allowed value for a typo of a non-secret setting', () => {
    assert.throws(
      () => parseConfig(raw({ FOUNDATION_TARGET: 'compsoe' })),
      /FOUNDATION_TARGET .*not one of them \(did you mean compose\?\)/,
    );
  });

  it('masks the password of a URL setting (https://user:token@host) like any secret', () => {
    const { secretValues } = parseConfig(
      raw({ HELM_REPO_GRAFANA: 'https://ci-bot:tok3n-Secret-42@charts.internal.test/grafana' }),
    );
    assert.ok(secretValues.includes('tok3n-Secret-42'));
  });
});
