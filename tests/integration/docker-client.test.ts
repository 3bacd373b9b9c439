// The docker adapter against the real docker CLI with no engine to answer (DOCKER_HOST at a socket nothing
// listens on): the CLI prints its own version and exits 1, which must read as "installed, no engine", not
// "not installed" (foundation deploy said E_TOOL_MISSING for it while only a fake CLI exiting 0 was tested).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createDocker } from '../../lib/adapters/containers.js';
import { createShell } from '../../lib/adapters/shell.js';
import { silentLog } from '../helpers/fixtures.js';
import { findTool } from '../helpers/tools.js';

const docker = findTool('docker', 'DOCKER_BIN');

describe('the docker adapter, real CLI, no engine', { skip: 'skip' in docker ? docker.skip : false }, () => {
  const saved = { ...process.env };
  after(() => {
    process.env = { ...saved };
  });

  it('the client’s version, and no engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'docker-none-'));
    process.env.DOCKER_HOST = `unix://${join(dir, 'nothing.sock')}`;
    process.env.PATH = `${dirname('path' in docker ? docker.path : '')}:${saved.PATH ?? ''}`;
    const sh = createShell({ cwd: dir, signal: new AbortController().signal, log: silentLog });
    const version = await createDocker(sh).version();
    assert.match(version.client ?? '', /^\d+\.\d+\.\d+/, 'the CLI is there');
    assert.equal(version.server, null, 'no engine answers');
    // What 0-2 asks of a k3d load balancer: with no engine, no answer (null), never an error.
    assert.equal(await createDocker(sh).publishedPorts('k3d-foundation-serverlb'), null);
  });
});
