import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvFile } from '../../lib/config/env-file.js';
import { contentHash, renderSecret, secretDrift } from '../../lib/k8s/secret.js';
import { Redactor } from '../../lib/redact.js';

const tricky = [
  `QUOTED='say "hello"'`,
  `APOSTROPHE="it's a secret"`,
  'EQUALS=a=b=c==',
  'SPACES="  leading and trailing  "',
  'UNICODE=pässwörd-✓-密码-🔑',
  'MULTILINE="-----BEGIN KEY-----\nline two\n-----END KEY-----"',
].join('\n');

describe('.env → Kubernetes Secret', () => {
  const env = Object.fromEntries([...parseEnvFile(tricky, '.env')].map(([k, v]) => [k, v.value]));

  it('keeps quotes, "=", spaces, unicode and newlines byte for byte', () => {
    const secret = renderSecret('app-secrets', 'services', env);
    const decoded = Object.fromEntries(
      Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
    assert.deepEqual(decoded, {
      APOSTROPHE: "it's a secret",
      EQUALS: 'a=b=c==',
      MULTILINE: '-----BEGIN KEY-----\nline two\n-----END KEY-----',
      QUOTED: 'say "hello"',
      SPACES: '  leading and trailing  ',
      UNICODE: 'pässwörd-✓-密码-🔑',
    });
    assert.equal('annotations' in secret.metadata, false, 'no hash of the values beside them');
    assert.ok(!JSON.stringify(secret).includes(contentHash(env).slice(7)));
  });

  it('no value appears in the manifest a redactor lets through, nor in a drift report', () => {
    const secret = renderSecret('app-secrets', 'services', env);
    const redactor = new Redactor(Object.values(env));
    const shown = redactor.redact(JSON.stringify(secret));
    for (const value of Object.values(env)) {
      assert.ok(!shown.includes(value), 'raw value masked');
      assert.ok(!shown.includes(Buffer.from(value).toString('base64')), 'base64 value masked');
    }
    const drift = secretDrift(
      { ...env, UNICODE: 'changed-value' },
      { keys: Object.keys(env), hash: contentHash(env) },
    );
    assert.deepEqual(drift, { added: [], removed: [], changed: true });
    assert.ok(!JSON.stringify(drift).includes('changed-value'));
  });

  it('reports keys added and removed, and nothing when converged', () => {
    assert.equal(secretDrift(env, { keys: Object.keys(env), hash: contentHash(env) }), null);
    assert.deepEqual(secretDrift({ A: '1', B: '2' }, { keys: ['B', 'C'], hash: 'x' }), {
      added: ['A'],
      removed: ['C'],
      changed: false,
    });
    assert.deepEqual(secretDrift({ A: '1' }, null), { added: ['A'], removed: [], changed: false });
  });

  it('the content hash does not depend on key order', () => {
    assert.equal(contentHash({ A: '1', B: '2' }), contentHash({ B: '2', A: '1' }));
    assert.notEqual(contentHash({ A: '1', B: '2' }), contentHash({ A: '2', B: '1' }));
  });
});
