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
  const service = join(repo, 'services', 'orders-api');
  const deep = join(service, 'src');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(deep, { recursive: true });

  it('a clone not set up yet: its root, from anywhere inside it', () => {
    assert.equal(defaultWorkspace(deep), repo);
    assert.equal(defaultWorkspace(repo), repo);
  });

  it("the nearest folder set up as a workspace; a service's own .env does not make it one", () => {
    writeFileSync(join(service, '.env'), 'PORT=8080\n'); // as the service's README says: cp .env.example .env
    assert.equal(defaultWorkspace(deep), repo);
    mkdirSync(join(repo, '.foundation'));
    assert.equal(defaultWorkspace(deep), repo);
    mkdirSync(join(service, '.foundation'));
    assert.equal(defaultWorkspace(deep), service, 'set up there with -C once: its own workspace');
  });

  it('a read-only command run once with -C in a subfolder, or in a service, does not make it a workspace', () => {
    const docs = join(repo, 'docs');
    mkdirSync(join(docs, '.foundation'), { recursive: true }); // `-C docs plan` recorded its run there
    assert.equal(defaultWorkspace(docs), repo);
    const generated = join(repo, 'services', 'billing');
    mkdirSync(join(generated, '.foundation'), { recursive: true }); // `-C services/billing plan`
    writeFileSync(join(generated, '.env'), 'PORT=8080\n');
    writeFileSync(join(generated, '.foundation-template.json'), '{}\n');
    assert.equal(defaultWorkspace(generated), repo, 'a generated service with its own .env');
  });

  it('outside any repository: the folder itself, never a folder above it (a .env in the home folder)', () => {
    const home = join(top, 'home');
    const loose = join(home, 'new-project');
    mkdirSync(join(home, '.foundation'), { recursive: true });
    writeFileSync(join(home, '.env'), 'X=1\n');
    mkdirSync(loose, { recursive: true });
    const found = defaultWorkspace(loose);
    // The machine's temporary folder could sit in a repository: then that root, but never `home`.
    assert.ok(found === loose || !found.startsWith(top), found);
    assert.notEqual(found, home);
  });
});
