import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseEnvFile } from '../../lib/config/env-file.js';
import { parseConfig, type RawValue } from '../../lib/config/schema.js';
import { VARIABLES } from '../../lib/config/variables.js';
import { ROOT } from '../helpers/cli.js';

const text = readFileSync(join(ROOT, '.env.example'), 'utf8');
const example = parseEnvFile(text, '.env.example');
const lines = text.split('\n');

describe('.env.example', () => {
  it('documents exactly the variables Foundation reads', () => {
    assert.deepEqual([...example.keys()].sort(), VARIABLES.map((v) => v.name).sort());
  });

  it('has a comment above every variable; secrets are marked and left empty', () => {
    for (const v of VARIABLES) {
      const entry = example.get(v.name);
      assert.ok(entry);
      const comment = lines[entry.line - 2] ?? '';
      assert.match(comment, /^#/, `${v.name} has a comment`);
      if (v.secret === true) {
        assert.match(comment, /Secret\./, `${v.name} is marked secret`);
        assert.equal(entry.value, '', `${v.name} has no value in the example`);
      }
    }
  });

  it('holds valid values (its defaults pass the schema)', () => {
    const raw = new Map<string, RawValue>(
      [...example]
        .filter(([, e]) => e.value !== '')
        .map(([k, e]) => [k, { value: e.value, source: 'example' }]),
    );
    assert.doesNotThrow(() => parseConfig(raw));
  });
});
