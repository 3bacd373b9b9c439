// The host ports the platform publishes (k3d's from its config, Compose's from Compose's resolved
// config), and the adapter that tells whether another
// program holds one (a real listener on loopback).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createListeners } from '../../lib/adapters/listeners.js';
import { parsePublishedPorts } from '../../lib/compose/published-ports.js';
import { busyPorts, k3dPorts, parsePortSpec } from '../../lib/prereqs/host-ports.js';
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

  it('Compose’s resolved config: each service’s TCP ports; UDP and ports Docker picks (none given, or a range for one port) left out', () => {
    // As `docker compose config --format json` (v2.40) writes `8888:80`, `127.0.0.1:8181:81`,
    // `9000-9001:9000-9001`, `5353:53/udp`, `127.0.0.1::82` and a long-syntax port on `::1`.
    const config = {
      name: 't',
      services: {
        web: {
          ports: [
            { mode: 'ingress', target: 80, published: '8888', protocol: 'tcp' },
            { mode: 'ingress', host_ip: '127.0.0.1', target: 81, published: '8181', protocol: 'tcp' },
            { mode: 'ingress', target: 9000, published: '9000', protocol: 'tcp' },
            { mode: 'ingress', target: 9001, published: '9001', protocol: 'tcp' },
            { mode: 'ingress', target: 53, published: '5353', protocol: 'udp' },
            { mode: 'ingress', host_ip: '127.0.0.1', target: 82, protocol: 'tcp' },
          ],
        },
        inc: { ports: [{ mode: 'ingress', host_ip: '::1', target: 90, published: 9090 }] },
        // `7000-7002:80`: Docker takes any free port of the range, as when none is given.
        range: { ports: [{ target: 80, published: '7000-7002' }] },
        odd: { ports: [{ published: '70000' }, { published: 'x' }, 'not an object'] },
        none: { image: 'x' },
      },
    };
    const listed = parsePublishedPorts(JSON.stringify(config)).map((p) => `${p.service} ${p.host}:${p.port}`);
    assert.deepEqual(listed, [
      'web 0.0.0.0:8888',
      'web 127.0.0.1:8181',
      'web 0.0.0.0:9000',
      'web 0.0.0.0:9001',
      'inc ::1:9090',
    ]);
    assert.deepEqual(parsePublishedPorts('{}'), []);
    assert.throws(() => parsePublishedPorts('no JSON'), SyntaxError);
  });

  it('k3d’s config as shipped', () => {
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
