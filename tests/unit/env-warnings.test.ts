import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseEnvFile } from '../../lib/config/env-file.js';
import { envWarnings } from '../../lib/config/env-warnings.js';
import { VARIABLES } from '../../lib/config/variables.js';
import { CHART_REPOS, repoVariable } from '../../lib/helm/chart-source.js';
import { parseReleasesFile } from '../../lib/helm/releases-file.js';
import { ROOT } from '../helpers/cli.js';

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

  it('a setting in the wrong case: names are case-sensitive, said with the name meant', () => {
    assert.deepEqual(warningsFor('foundation_target=compose\nLog_Level=debug\n'), [
      'foundation_target (.env line 1) is not a setting Foundation reads: names are case-sensitive, did you mean FOUNDATION_TARGET?',
      'Log_Level (.env line 2) is not a setting Foundation reads: names are case-sensitive, did you mean LOG_LEVEL?',
    ]);
  });

  it('a service’s own variables and every setting itself (HELM_REPO_<alias> of each repository in use too): nothing to say', () => {
    for (const alias of CHART_REPOS) assert.ok(KNOWN.includes(repoVariable(alias)), alias);
    const text = ['ORDERS_API_FEATURE_X=1', ...KNOWN.map((n) => `${n}=`)];
    assert.deepEqual(warningsFor(`${text.join('\n')}\n`), []);
  });

  it('HELM_REPO_<alias> of a repository no release uses: the one meant, or that it is not read', () => {
    assert.deepEqual(warningsFor('HELM_REPO_GRAFNA=https://mirror.example\nHELM_REPO_FOO=notaurl\n'), [
      'HELM_REPO_GRAFNA (.env line 1) names the chart repository "grafna", which no Foundation release uses (grafana, grafana-community, prometheus-community): did you mean HELM_REPO_GRAFANA?',
      'HELM_REPO_FOO (.env line 2) names the chart repository "foo", which no Foundation release uses (grafana, grafana-community, prometheus-community): it is not read',
    ]);
  });

  it('CHART_REPOS are exactly the repositories k8s/observability/releases.yaml uses', () => {
    const file = readFileSync(join(ROOT, 'k8s', 'observability', 'releases.yaml'), 'utf8');
    const used = new Set(parseReleasesFile(file, 'releases.yaml').map((r) => r.repo));
    assert.deepEqual([...used].sort(), [...CHART_REPOS].sort());
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
