import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { POSTGRES_VERSION } from '../../scripts/test-servers/paths.js';
import { ROOT } from '../helpers/cli.js';

describe('test server pins', () => {
  it('the harness looks for the PostgreSQL that install-kit installs, a 17.x', () => {
    const script = readFileSync(join(ROOT, 'scripts', 'test-servers', 'install-kit'), 'utf8');
    assert.equal(/^POSTGRES_VERSION=(\S+)$/m.exec(script)?.[1], POSTGRES_VERSION);
    assert.match(POSTGRES_VERSION, /^17\.\d+\.\d+$/);
  });
});
