import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RELEASES } from '../../lib/prereqs/pins.js';
import { mirrored, planInstalls, platformOf } from '../../lib/prereqs/releases.js';
import { TOOLS } from '../../lib/prereqs/tools.js';
import semver from 'semver';

describe('pinned releases', () => {
  it('every pin: a usable version for 0-1, all four platforms, https, a 64-hex SHA-256', () => {
    for (const r of RELEASES) {
      const spec = TOOLS.find((t) => t.name === r.name);
      assert.ok(spec, r.name);
      assert.ok(semver.gte(r.version, spec.minimum), `${r.name} ${r.version} >= ${spec.minimum}`);
      assert.deepEqual(Object.keys(r.assets).sort(), [
        'darwin-amd64',
        'darwin-arm64',
        'linux-amd64',
        'linux-arm64',
      ]);
      for (const a of Object.values(r.assets)) {
        assert.match(a.url, /^https:\/\//);
        assert.match(a.sha256, /^[0-9a-f]{64}$/);
        assert.ok(a.url.includes(r.version), `${a.url} is of ${r.version}`);
      }
      assert.equal(
        new Set(Object.values(r.assets).map((a) => a.sha256)).size,
        4,
        `${r.name}: four different files`,
      );
    }
  });

  it('platforms as release files name them; none for others', () => {
    assert.equal(platformOf('darwin', 'arm64'), 'darwin-arm64');
    assert.equal(platformOf('linux', 'x64'), 'linux-amd64');
    assert.equal(platformOf('linux', 'ia32'), null);
    assert.equal(platformOf('win32', 'x64'), null);
  });

  it('installs what has a pin; Docker, a daemon and unpinned platforms stay for the user', () => {
    const problem = (name: string, p: 'missing' | 'too old' | 'daemon not reachable' = 'missing') => ({
      name,
      problem: p,
      detail: '',
      hint: '',
    });
    const plan = planInstalls(
      [problem('helm'), problem('docker'), problem('docker', 'daemon not reachable')],
      RELEASES,
      'linux-arm64',
    );
    assert.deepEqual(
      plan.install.map((i) => [i.release.name, i.asset.url]),
      [['helm', 'https://get.helm.sh/helm-v4.2.4-linux-arm64.tar.gz']],
    );
    assert.deepEqual(
      plan.byHand.map((p) => p.name),
      ['docker', 'docker'],
    );
    assert.deepEqual(
      planInstalls([problem('helm')], RELEASES, null).byHand.map((p) => p.name),
      ['helm'],
    );
  });

  it('a mirror keeps the host and path under its own origin', () => {
    assert.equal(
      mirrored('https://get.helm.sh/helm-v4.2.4-linux-amd64.tar.gz', 'http://mirror.test/tools/'),
      'http://mirror.test/tools/get.helm.sh/helm-v4.2.4-linux-amd64.tar.gz',
    );
    assert.equal(mirrored('https://get.helm.sh/x', undefined), 'https://get.helm.sh/x');
    // A mirror that wants a token in its query keeps it at the end, not in the middle of the path.
    assert.equal(
      mirrored('https://get.helm.sh/helm.tar.gz', 'https://ci:pw@mirror.test/tools?token=abc'),
      'https://ci:pw@mirror.test/tools/get.helm.sh/helm.tar.gz?token=abc',
    );
  });
});
