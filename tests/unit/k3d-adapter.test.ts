// The k3d adapter's command line: a cluster from the config file, with the host folders the config file
// cannot name (an absolute path) mounted into the server nodes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createK3d } from '../../lib/adapters/containers.js';
import { ok, scriptedShell } from '../helpers/scripted-shell.js';

describe('k3d adapter', () => {
  it('create: the config file, the agents, each mount on every server node, and --wait', async () => {
    const sh = scriptedShell({ k3d: ok('') });
    await createK3d(sh).create({
      name: 'foundation',
      configFile: '/pkg/k8s/k3d-config.yaml',
      agents: 1,
      mounts: [{ host: '/pkg/k8s/audit', node: '/etc/foundation/audit' }],
    });
    await createK3d(sh).create({ name: 'plain', configFile: '/c.yaml', agents: 0 });
    assert.deepEqual(sh.calls, [
      'k3d cluster create foundation --config /pkg/k8s/k3d-config.yaml --agents 1 --volume /pkg/k8s/audit:/etc/foundation/audit@server:* --wait',
      'k3d cluster create plain --config /c.yaml --agents 0 --wait',
    ]);
  });
});
