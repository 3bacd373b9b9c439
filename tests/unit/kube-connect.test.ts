// The Kubernetes connection when there is no kubeconfig: @kubernetes/client-node then makes up a cluster at
// http://localhost:8080, and the adapter must say "no kubeconfig" (E_KUBE_NO_CONFIG) instead of what the
// HTTP client says about that made-up address.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { connectKube, createKube, madeUpConfig } from '../../lib/adapters/kube.js';
import { FoundationError } from '../../lib/errors.js';
import { scriptedShell } from '../helpers/scripted-shell.js';

const KUBECONFIG_YAML = `apiVersion: v1
kind: Config
clusters: [{ name: k3d-foundation, cluster: { server: 'https://127.0.0.1:6443' } }]
users: [{ name: admin, user: { token: made-up } }]
contexts: [{ name: k3d-foundation, context: { cluster: k3d-foundation, user: admin } }]
current-context: k3d-foundation
`;

/** Run `fn` with HOME at `home` and KUBECONFIG unset, as on a machine that never had a cluster. */
async function withoutKubeconfig<T>(home: string, fn: () => T | Promise<T>): Promise<T> {
  const saved = { HOME: process.env.HOME, KUBECONFIG: process.env.KUBECONFIG };
  process.env.HOME = home;
  delete process.env.KUBECONFIG;
  try {
    return await fn();
  } finally {
    process.env.HOME = saved.HOME;
    if (saved.KUBECONFIG === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved.KUBECONFIG;
  }
}

const IN_POD = existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');

describe('no kubeconfig', () => {
  const home = mkdtempSync(join(tmpdir(), 'kube-home-'));
  after(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it('the library’s stand-in cluster is told apart from a real kubeconfig', async () => {
    const real = new KubeConfig();
    real.loadFromString(KUBECONFIG_YAML);
    assert.equal(madeUpConfig(real), false);
    const empty = new KubeConfig();
    await withoutKubeconfig(home, () => {
      empty.loadFromDefault();
    });
    // In a pod, the service account is a real configuration; elsewhere the library makes one up.
    assert.equal(madeUpConfig(empty), !IN_POD, empty.getCurrentCluster()?.server);
  });

  it('a call without one is E_KUBE_NO_CONFIG with the fix, not an HTTP-client message', async (t) => {
    if (IN_POD) {
      t.skip('in a pod, the service account is the configuration');
      return;
    }
    await withoutKubeconfig(home, async () => {
      const kube = createKube(connectKube(), scriptedShell({}));
      await assert.rejects(kube.version(), (error: unknown) => {
        assert.ok(error instanceof FoundationError, String(error));
        assert.equal(error.code, 'E_KUBE_NO_CONFIG');
        assert.match(error.message, /KUBECONFIG is not set and ~\/\.kube\/config does not exist/);
        assert.match(error.fix ?? '', /foundation run 0-2/);
        return true;
      });
    });
  });
});
