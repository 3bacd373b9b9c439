// The docker adapter's publishedPorts on a real engine and a real container (what task 0-2 asks of a k3d
// load balancer): a port published on loopback and one published on every interface read back from
// `docker container inspect`, and only the second is named as open beyond this machine. The unit test
// reads a port map written by hand; this one reads the engine's own.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { after, describe, it } from 'node:test';
import { createDocker } from '../../lib/adapters/containers.js';
import { createShell } from '../../lib/adapters/shell.js';
import { openBindings } from '../../lib/k8s/exposure.js';
import { useDocker } from '../helpers/cluster.js';
import { silentLog } from '../helpers/fixtures.js';
import { BASE_IMAGE, ensureBaseImage } from '../helpers/images.js';

const engine = await useDocker();

describe('published ports of a real container', { skip: engine.skip, timeout: 120_000 }, () => {
  const name = `foundation-test-ports-${randomUUID().slice(0, 8)}`;
  const docker = createDocker(
    createShell({ cwd: tmpdir(), signal: new AbortController().signal, log: silentLog }),
  );
  after(() => {
    execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
  });

  it('loopback is not open; every interface is, said once', async () => {
    ensureBaseImage();
    // Host ports the engine picks (free ones): 80 on 127.0.0.1 only, 81 on every interface.
    execFileSync(
      'docker',
      ['run', '-d', '--name', name, '-p', '127.0.0.1::80', '-p', '81', BASE_IMAGE, 'sleep', '600'],
      {
        stdio: 'ignore',
      },
    );
    const ports = (await docker.publishedPorts(name)) ?? [];
    const of = (port: string) => ports.filter((p) => p.containerPort === port);
    const loopback = of('80/tcp');
    assert.equal(loopback.length, 1, JSON.stringify(ports));
    assert.equal(loopback[0]?.hostIp, '127.0.0.1');
    assert.match(loopback[0]?.hostPort ?? '', /^\d+$/);
    const everywhere = of('81/tcp');
    assert.ok(everywhere.length >= 1, JSON.stringify(ports));
    assert.ok(
      everywhere.every((p) => p.hostIp === '0.0.0.0' || p.hostIp === '::' || p.hostIp === ''),
      JSON.stringify(everywhere),
    );
    const hostPorts = [...new Set(everywhere.map((p) => p.hostPort))];
    assert.deepEqual(
      openBindings(ports),
      hostPorts.map((p) => `*:${p}`),
    );
  });

  it('a container that does not exist: null, never an error', async () => {
    assert.equal(await docker.publishedPorts(`${name}-none`), null);
  });
});
