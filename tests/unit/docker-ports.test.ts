// Docker's published ports, as docker inspect gives them, and which of them listen beyond loopback.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePublishedPorts } from '../../lib/adapters/containers.js';
import { openBindings } from '../../lib/k8s/exposure.js';

describe('docker: published ports', () => {
  it('reads docker inspect’s port map; unpublished ports and text of another shape are none', () => {
    const text =
      '{"19092/tcp":[{"HostIp":"0.0.0.0","HostPort":"19092"},{"HostIp":"::","HostPort":"19092"}],"80/tcp":null,"6443/tcp":[{"HostIp":"127.0.0.1","HostPort":"41234"}]}';
    assert.deepEqual(parsePublishedPorts(text), [
      { containerPort: '19092/tcp', hostIp: '0.0.0.0', hostPort: '19092' },
      { containerPort: '19092/tcp', hostIp: '::', hostPort: '19092' },
      { containerPort: '6443/tcp', hostIp: '127.0.0.1', hostPort: '41234' },
    ]);
    for (const other of ['', 'null', '[]', 'not json', '{"1/tcp":[{"HostIp":1}]}'])
      assert.deepEqual(parsePublishedPorts(other), [], other);
    assert.deepEqual(openBindings(parsePublishedPorts(text)), ['*:19092'], 'IPv4 and IPv6: said once');
    assert.deepEqual(openBindings([{ containerPort: '1/tcp', hostIp: '', hostPort: '1' }]), ['*:1']);
    const lan = [
      { containerPort: '1/tcp', hostIp: '192.168.1.5', hostPort: '1' },
      { containerPort: '2/tcp', hostIp: 'fe80::1', hostPort: '2' },
    ];
    assert.deepEqual(openBindings(lan), ['192.168.1.5:1', '[fe80::1]:2']);
    assert.deepEqual(openBindings([{ containerPort: '1/tcp', hostIp: '::1', hostPort: '1' }]), []);
  });
});
