// scripts/platform logs: a service's lines pass through the redactor, like everything Foundation prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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

  it('compose down: never started here is said (exit 0); without the Compose plugin, E_TOOL_MISSING, not docker’s usage', () => {
    // A docker CLI without the compose plugin: it takes `compose -f` for its own flags.
    const ws = workspace({
      docker: `echo "unknown shorthand flag: 'f' in -f" >&2; echo "Usage:  docker [OPTIONS] COMMAND" >&2; exit 125`,
    });
    writeFileSync(join(ws.dir, '.env'), 'FOUNDATION_TARGET=compose\n');
    const file = join(ws.dir, 'compose', 'docker-compose.yml');
    mkdirSync(join(ws.dir, 'compose'), { recursive: true });
    writeFileSync(file, 'services: {}\n');
    const down = () =>
      spawnSync(
        process.execPath,
        [join(ROOT, 'dist', 'scripts', 'platform.js'), 'down', '--workspace', ws.dir],
        {
          encoding: 'utf8',
          env: { PATH: ws.path, HOME: ws.dir, FOUNDATION_COMPOSE_FILE: file },
        },
      );
    const never = down();
    assert.equal(never.status, 0, never.stderr);
    assert.match(never.stdout + never.stderr, /the Compose platform was never started here: nothing to stop/);
    mkdirSync(join(ws.dir, 'compose', 'generated'));
    writeFileSync(join(ws.dir, 'compose', 'generated', 'infra.env'), '# rendered by 0-7\n');
    const missing = down();
    assert.equal(missing.status, 4, missing.stdout + missing.stderr);
    assert.match(missing.stderr, /E_TOOL_MISSING: docker compose does not answer/);
    assert.doesNotMatch(missing.stdout + missing.stderr, /unknown shorthand flag|Usage: +docker/);
  });
});
