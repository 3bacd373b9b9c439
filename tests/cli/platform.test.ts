// scripts/platform logs: a service's lines pass through the redactor, like everything Foundation prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, workspace } from '../helpers/cli.js';
import { madeUpSecret } from '../helpers/fixtures.js';

describe('scripts/platform logs', () => {
  it('masks a value of .env that a service logged', () => {
    const secret = madeUpSecret('grafana');
    const ws = workspace({
      kubectl: `case "$*" in *logs*) echo "login with password $LOGGED_VALUE" ;; *) echo '{}' ;; esac`,
    });
    writeFileSync(join(ws.dir, '.env'), `FOUNDATION_TARGET=k3d\nGRAFANA_ADMIN_PASSWORD=${secret}\n`);
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'dist', 'scripts', 'platform.js'), 'logs', 'demo-service', '--workspace', ws.dir],
      { encoding: 'utf8', env: { PATH: ws.path, HOME: ws.dir, LOGGED_VALUE: secret } },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^login with password \*\*\*$/m);
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
  });
});
