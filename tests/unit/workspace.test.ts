import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultWorkspace } from '../../lib/config/workspace.js';

describe('the default workspace', () => {
  const top = mkdtempSync(join(tmpdir(), 'foundation-default-ws-'));
  after(() => {
    rmSync(top, { recursive: true, force: true });
  });
  const repo = join(top, 'repo');
  const deep = join(repo, 'services', 'orders-api', 'src');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(deep, { recursive: true });

  it('a clone not set up yet: its root, from anywhere inside it', () => {
    assert.equal(defaultWorkspace(deep), repo);
    assert.equal(defaultWorkspace(repo), repo);
  });

  it('the nearest folder with a .env, up to the root', () => {
    writeFileSync(join(repo, '.env'), 'FOUNDATION_TARGET=compose\n');
    assert.equal(defaultWorkspace(deep), repo);
    writeFileSync(join(repo, 'services', 'orders-api', '.env'), 'PORT=8080\n');
    assert.equal(defaultWorkspace(deep), join(repo, 'services', 'orders-api'));
  });

  it('outside any repository and without .env: the folder itself', () => {
    const loose = join(top, 'loose', 'folder');
    mkdirSync(loose, { recursive: true });
    const found = defaultWorkspace(loose);
    // The machine's temporary folder could itself sit in a repository: then that one, never one between.
    assert.ok(found === loose || !found.startsWith(top), found);
  });
});
