// scripts/test-servers/{start,stop,status} by hand: a name it does not know is said, never ignored (a
// typo used to "stop" nothing and exit 0); --help is the usage.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT } from '../helpers/cli.js';

describe('scripts/test-servers by hand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'test-servers-cli-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'test-servers', 'cli.js'), ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', FOUNDATION_TEST_SERVERS_DIR: dir },
    });

  it('an unknown command or server, or arguments to status, is exit 2 naming them', () => {
    for (const args of [
      ['stop', 'kafak'],
      ['start', 'postgress'],
      ['status', '--bogus'],
      ['bogus', 'kafka'],
    ]) {
      const r = run(...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(
        r.stderr,
        /^test-servers: (unknown server\(s\) \S+ \(servers: kafka, |status takes no arguments|unknown command "bogus": start, stop or status)/,
      );
      assert.match(r.stderr, /usage: scripts\/test-servers/);
    }
  });

  it('--help is the usage (exit 0); stop with no names stops every one (here none ran)', () => {
    for (const args of [['--help'], ['stop', '--help'], ['start', '-h']]) {
      const r = run(...args);
      assert.equal(r.status, 0, args.join(' '));
      assert.match(r.stdout, /^usage: scripts\/test-servers\/\{start <name…> \| stop \[name…\] \| status\}/);
    }
    const stop = run('stop');
    assert.equal(stop.status, 0, stop.stderr);
    assert.match(stop.stderr, /nothing was running/);
  });
});
