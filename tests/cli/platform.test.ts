// scripts/platform logs: a service's lines pass through the redactor, like everything Foundation prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, workspace } from '../helpers/cli.js';
import { madeUpSecret } from '../helpers/fixtures.js';

describe('scripts/platform', () => {
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

  it('bad usage is exit 2 before anything runs: an empty --target, a flag twice, extra words, --lines 1e3', () => {
    const ws = workspace({ k3d: 'echo "$*" >> "$K3D_LOG"; echo "[]"', kubectl: 'echo "$*" >> "$K3D_LOG"' });
    writeFileSync(join(ws.dir, '.env'), 'FOUNDATION_TARGET=compose\n');
    const log = join(ws.dir, 'calls.log');
    const cases: [string[], RegExp][] = [
      [['--target', '', 'down', '--yes'], /--target is empty: give a value, or leave it out/],
      [['--target', 'k3d', '--target', 'compose', 'down'], /--target is given more than once/],
      [['down', 'extra', '--yes'], /unexpected "extra" after down/],
      [['logs', 'demo', 'more'], /unexpected "more" after logs/],
      [['logs', 'demo', '--lines', '1e3'], /--lines must be a whole number from 1 to 100000/],
      [['logs'], /logs needs a service name/],
    ];
    for (const [args, message] of cases) {
      const r = spawnSync(
        process.execPath,
        [join(ROOT, 'dist', 'scripts', 'platform.js'), ...args, '--workspace', ws.dir],
        { encoding: 'utf8', env: { PATH: ws.path, HOME: ws.dir, K3D_LOG: log } },
      );
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
    assert.ok(!existsSync(log), 'no k3d or kubectl command ran');
  });
});
