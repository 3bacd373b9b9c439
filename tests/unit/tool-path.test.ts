import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createCiTools } from '../../lib/adapters/ci-tools.js';
import { createShell } from '../../lib/adapters/shell.js';
import { cacheBin, toolSearchPath } from '../../lib/adapters/tool-path.js';
import { silentLog } from '../helpers/fixtures.js';

/** An executable `name` in `dir` that prints where it is. */
function tool(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\necho ${dir}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('where a tool is looked for: the tool directory, PATH, then Foundation’s cache', () => {
  const saved = { ...process.env };
  let root = '';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tool-path-'));
    process.env.FOUNDATION_CACHE = join(root, 'cache');
    // Only folders of this test: a gitleaks the machine has in /usr/bin must not answer for the cache's.
    process.env.PATH = `${join(root, 'path')}:${join(root, 'also-path')}`;
  });
  afterEach(() => {
    process.env = { ...saved };
  });
  const ws = (): string => join(root, 'ws');
  const toolDir = (): string => join(ws(), '.foundation', 'tools', 'bin');
  const shell = () =>
    createShell({ cwd: root, signal: new AbortController().signal, log: silentLog, toolDir: toolDir() });

  it('puts the tool directory first and the cache last, PATH kept in its order', () => {
    assert.equal(cacheBin(), join(root, 'cache', 'bin'));
    assert.equal(
      toolSearchPath('/ws/.foundation/tools/bin', '/a::/b'),
      `/ws/.foundation/tools/bin:/a:/b:${join(root, 'cache', 'bin')}`,
    );
  });

  it('task commands (and so task 0-1’s probe) find a tool only the cache has', async () => {
    const cached = tool(cacheBin(), 'gitleaks');
    assert.equal(await shell().which('gitleaks'), cached);
    assert.equal((await shell().run('gitleaks', [], { stream: false })).stdout.trim(), cacheBin());
    assert.equal(await shell().which('no-such-tool'), null);
  });

  it('PATH wins over the cache, the tool directory over both — the CI tools lookup agrees', async () => {
    tool(cacheBin(), 'gitleaks');
    const onPath = tool(join(root, 'path'), 'gitleaks');
    assert.equal(await shell().which('gitleaks'), onPath);
    assert.equal(await createCiTools(shell(), ws()).find('gitleaks'), onPath);
    const pinned = tool(toolDir(), 'gitleaks');
    assert.equal(await shell().which('gitleaks'), pinned);
    assert.equal(await createCiTools(shell(), ws()).find('gitleaks'), pinned);
  });
});
