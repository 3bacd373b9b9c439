import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, workspace } from '../helpers/cli.js';

describe('foundation new service (built CLI)', () => {
  it('refuses an invalid name with exit 2 and writes nothing', async () => {
    const ws = workspace();
    const r = await cli(['new', 'service', 'Orders_API'], ws);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /E_USAGE: "Orders_API" is not a valid service name.*\n {2}fix: use a name like: orders-api/,
    );
  });

  it('refuses to overwrite an existing directory', async () => {
    const ws = workspace();
    mkdirSync(join(ws.dir, 'services', 'taken'), { recursive: true });
    writeFileSync(join(ws.dir, 'services', 'taken', 'keep.txt'), 'mine');
    const r = await cli(['new', 'service', 'taken'], ws);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /E_TARGET_EXISTS: services\/taken: already exists and is not empty; nothing was written/,
    );
    assert.equal(readFileSync(join(ws.dir, 'services', 'taken', 'keep.txt'), 'utf8'), 'mine');
  });

  it(
    'generates a service that installs and passes its own tests from a clean directory',
    { timeout: 240_000 },
    async () => {
      const ws = workspace();
      const dir = mkdtempSync(join(tmpdir(), 'generated-'));
      const r = await cli(
        ['new', 'service', 'orders-api', '--description', 'Places orders', '--dir', join(dir, 'orders-api')],
        ws,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /created orders-api in .*orders-api \(\d+ files, \d+ ms\)/);
      const service = join(dir, 'orders-api');
      execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
        cwd: service,
        stdio: 'pipe',
      });
      // Without NODE_TEST_CONTEXT: inside a test process, a nested `node --test` would report to us, not print.
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));
      const test = spawnSync('npm', ['test'], { cwd: service, encoding: 'utf8', env });
      assert.equal(test.status, 0, test.stdout + test.stderr);
      assert.match(test.stdout, /ℹ fail 0/);
    },
  );
});
