// The host ports the platform publishes, read from its files, and the adapter that tells whether another
// program holds one (a real listener on loopback).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFiles } from '../../lib/adapters/files.js';
import { createListeners } from '../../lib/adapters/listeners.js';
import {
  busyPorts,
  composeFilePorts,
  composePorts,
  k3dPorts,
  parsePortSpec,
} from '../../lib/prereqs/host-ports.js';
import { ROOT } from '../helpers/cli.js';

describe('host ports', () => {
  it('Docker’s short syntax: host and published port; none for a port Docker picks, a range or UDP', () => {
    const table: [string, { host: string; port: number } | null][] = [
      ['127.0.0.1:3000:3000', { host: '127.0.0.1', port: 3000 }],
      ['8080:80', { host: '0.0.0.0', port: 8080 }],
      ['[::1]:8443:443/tcp', { host: '::1', port: 8443 }],
      ['127.0.0.1::80', null],
      ['80', null],
      ['9000-9005:9000-9005', null],
      ['127.0.0.1:5353:53/udp', null],
      ['99999:80', null],
      ['127.0.0.1:0:80', null],
    ];
    for (const [spec, want] of table) assert.deepEqual(parsePortSpec(spec), want, spec);
  });

  it('Compose long syntax too; the package’s Compose files (with their include) and k3d config as shipped', async () => {
    assert.deepEqual(
      composePorts([
        'services:\n  a:\n    ports:\n      - { target: 80, published: 8088, host_ip: 127.0.0.1 }\n      - { target: 53, published: 53, protocol: udp }\n      - { target: 9, published: 9, protocol: sctp }\n      - { target: 80, published: 70000 }\n',
      ]),
      [{ owner: 'a', host: '127.0.0.1', port: 8088 }],
    );
    const compose = await composeFilePorts(createFiles(ROOT), join(ROOT, 'compose', 'docker-compose.yml'));
    const of = (owner: string) => compose.filter((p) => p.owner === owner).map((p) => `${p.host}:${p.port}`);
    assert.deepEqual(of('demo-service'), ['127.0.0.1:3001']);
    assert.deepEqual(of('grafana'), ['127.0.0.1:3000']);
    assert.deepEqual(of('redpanda'), [
      '127.0.0.1:19092',
      '127.0.0.1:9644',
      '127.0.0.1:8081',
      '127.0.0.1:8082',
    ]);
    assert.deepEqual(
      k3dPorts(readFileSync(join(ROOT, 'k8s', 'k3d-config.yaml'), 'utf8')).map((p) => p.port),
      [8080, 8443, 19092],
    );
  });

  it('k3d: the Kubernetes API when its port is fixed; a port on every address is asked on IPv6’s too', async () => {
    assert.deepEqual(k3dPorts('kubeAPI:\n  hostIP: 127.0.0.1\n  hostPort: "6550"\n'), [
      { owner: 'k3d (Kubernetes API)', host: '127.0.0.1', port: 6550 },
    ]);
    const asked: string[] = [];
    const onlyV6 = {
      inUse: (host: string, port: number) => {
        asked.push(`${host}:${port}`);
        return Promise.resolve(host === '::');
      },
    };
    const busy = await busyPorts(onlyV6, [
      { owner: 'a', host: '0.0.0.0', port: 8080 },
      { owner: 'b', host: '127.0.0.1', port: 9090 },
    ]);
    assert.deepEqual(busy, [{ owner: 'a', host: '0.0.0.0', port: 8080 }]);
    assert.deepEqual(asked, ['0.0.0.0:8080', ':::8080', '127.0.0.1:9090']);
  });

  it('the adapter: a port with a listener is in use; once it closes, free', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const listeners = createListeners();
    assert.equal(await listeners.inUse('127.0.0.1', port), true);
    assert.equal(await listeners.inUse('0.0.0.0', port), true, 'the wildcard address clashes too');
    await new Promise((resolve) => server.close(resolve));
    assert.equal(await listeners.inUse('127.0.0.1', port), false);
  });
});
