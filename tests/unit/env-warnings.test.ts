import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvFile } from '../../lib/config/env-file.js';
import { envWarnings } from '../../lib/config/env-warnings.js';
import { VARIABLES } from '../../lib/config/variables.js';

const KNOWN = VARIABLES.map((v) => v.name);
const warningsFor = (text: string): string[] => envWarnings(parseEnvFile(text, '.env'), KNOWN);

describe('.env warnings (probably a mistake, never an error)', () => {
  it('a name set twice: every line named, the last one wins, as the value read shows', () => {
    const text = 'LOG_LEVEL=info\nKAFKA_BROKERS=a:1\nLOG_LEVEL=warn\nLOG_LEVEL=debug\n';
    assert.equal(parseEnvFile(text, '.env').get('LOG_LEVEL')?.value, 'debug');
    assert.deepEqual(warningsFor(text), ['LOG_LEVEL is set on .env lines 1, 3 and 4: line 4 wins']);
  });

  it('a typo of a setting: named with its line and the setting meant; the value is never shown', () => {
    const value = 'sk-test-abcdef123456';
    const warnings = warningsFor(`# admin\nGRAFANA_ADMIN_PASWORD=${value}\n`);
    assert.deepEqual(warnings, [
      'GRAFANA_ADMIN_PASWORD (.env line 2) is not a setting Foundation reads: did you mean GRAFANA_ADMIN_PASSWORD?',
    ]);
    assert.ok(!warnings.join('').includes(value));
  });

  it('a service’s own variables, HELM_REPO_<alias> and every setting itself: nothing to say', () => {
    const text = [
      'ORDERS_API_FEATURE_X=1',
      'HELM_REPO_MIRROR=https://charts.example',
      ...KNOWN.map((n) => `${n}=`),
    ];
    assert.deepEqual(warningsFor(`${text.join('\n')}\n`), []);
  });

  it('an unquoted value with a # inside: read up to it, said without the value; quoted or after a space, nothing', () => {
    const text = [
      'GRAFANA_ADMIN_PASSWORD=LongEnoughPrefix1234#Tail',
      'POSTGRES_PASSWORD="quoted#kept-whole-1234567"',
      'LOG_LEVEL=info # an inline comment, meant',
      'POSTGRES_PASSWORD_X=#starts-with-a-hash',
      '',
    ].join('\n');
    const entries = parseEnvFile(text, '.env');
    assert.equal(entries.get('GRAFANA_ADMIN_PASSWORD')?.value, 'LongEnoughPrefix1234');
    assert.equal(entries.get('POSTGRES_PASSWORD')?.value, 'quoted#kept-whole-1234567');
    const warnings = warningsFor(text);
    assert.equal(entries.get('POSTGRES_PASSWORD_X')?.value, '');
    assert.deepEqual(
      warnings.filter((w) => w.includes('"#"')),
      [
        'GRAFANA_ADMIN_PASSWORD (.env line 1): the value is read only up to its "#", the rest as a comment; quote the value ("…") to keep it whole',
        'POSTGRES_PASSWORD_X (.env line 4): the value is read only up to its "#", the rest as a comment; quote the value ("…") to keep it whole',
      ],
    );
    assert.ok(!/Tail|Prefix|starts-with/.test(warnings.join('')));
  });
});
