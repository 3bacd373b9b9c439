// The Kubernetes control plane for tests (kube-plane.ts supervises its five processes): its PKI, its
// kubeconfigs, and when it is usable.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiRequest, type PlaneConfig } from './kube-api.js';
import { KUBE_BIN, KUBE_VERSION } from './paths.js';
import type { ServerDef, ServerPaths } from './servers.js';

const NODE = 'kwok-node-0';

function openssl(dir: string, args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0] ?? ''} failed: ${r.stderr || String(r.error)}`);
}

/** A CA, the API server's serving certificate (127.0.0.1), the service-account key pair, an admin token. */
function makePki(pki: string): void {
  if (existsSync(join(pki, 'tokens.csv'))) return; // kept across restarts of the same server
  mkdirSync(pki, { recursive: true });
  openssl(pki, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '30',
    '-subj',
    '/CN=foundation-test-ca',
  ]);
  openssl(pki, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'apiserver.key',
    '-out',
    'apiserver.csr',
    '-subj',
    '/CN=kube-apiserver',
  ]);
  const sans = [
    'IP:127.0.0.1',
    'IP:10.0.0.1',
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
  ];
  writeFileSync(join(pki, 'san.ext'), `subjectAltName=${sans.join(',')}\nextendedKeyUsage=serverAuth\n`);
  openssl(pki, [
    'x509',
    '-req',
    '-in',
    'apiserver.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'apiserver.crt',
    '-days',
    '30',
    '-extfile',
    'san.ext',
  ]);
  openssl(pki, ['genrsa', '-out', 'sa.key', '2048']);
  openssl(pki, ['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  writeFileSync(
    join(pki, 'tokens.csv'),
    // An admin, and a user no RBAC rule names (what "forbidden" looks like to a task).
    `${randomBytes(16).toString('hex')},admin,admin-uid,system:masters\n${randomBytes(16).toString('hex')},viewer,viewer-uid\n`,
    { mode: 0o600 },
  );
}

function kubeconfigFor(config: PlaneConfig, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: foundation-test',
    '    cluster:',
    `      server: https://127.0.0.1:${String(config.ports.api)}`,
    `      certificate-authority: ${join(config.pki, 'ca.crt')}`,
    'users:',
    '  - name: user',
    '    user:',
    `      token: ${token}`,
    'contexts:',
    '  - name: foundation-test',
    '    context: { cluster: foundation-test, user: user }',
    'current-context: foundation-test',
    '',
  ].join('\n');
}

const planeConfig = (p: ServerPaths): PlaneConfig => ({
  bin: KUBE_BIN,
  pki: join(p.dir, 'pki'),
  node: NODE,
  audit: {
    // Foundation's own policy (k8s/audit), as k3d's API server runs with it; run from dist/scripts/test-servers
    policy: fileURLToPath(new URL('../../../k8s/audit/policy.yaml', import.meta.url)),
    log: join(p.dir, 'logs', 'audit.log'),
  },
  ports: {
    api: p.ports.api ?? 0,
    etcdClient: p.ports.etcdClient ?? 0,
    etcdPeer: p.ports.etcdPeer ?? 0,
    kwok: p.ports.kwok ?? 0,
  },
});

export const kube: ServerDef = {
  name: 'kube',
  portNames: ['api', 'etcdClient', 'etcdPeer', 'kwok'],
  requires: [
    'etcd',
    'kube-apiserver',
    'kube-controller-manager',
    'kube-scheduler',
    'kwok',
    'kwok-stages.yaml',
    'kubectl',
  ].map((b) => join(KUBE_BIN, b)),
  // Not KUBECONFIG: a developer's own cluster is never used by accident (the tests create objects).
  overrides: ['FOUNDATION_TEST_KUBECONFIG'],
  readyTimeoutMs: 120_000,
  prepare(p) {
    const config = planeConfig(p);
    makePki(config.pki);
    const tokens = readFileSync(join(config.pki, 'tokens.csv'), 'utf8').split('\n');
    for (const [file, line] of [
      ['admin.kubeconfig', tokens[0]],
      ['viewer.kubeconfig', tokens[1]],
    ] as const)
      writeFileSync(join(p.dir, file), kubeconfigFor(config, line?.split(',')[0] ?? ''), { mode: 0o600 });
    writeFileSync(join(p.dir, 'plane.json'), JSON.stringify(config, null, 2));
  },
  command: (p) => ({
    cmd: process.execPath,
    args: [fileURLToPath(new URL('./kube-plane.js', import.meta.url)), p.dir],
  }),
  /** Usable: the API is ready, the fake node is Ready, and the controller manager made the default SA. */
  async ready(p) {
    const config = planeConfig(p);
    try {
      if ((await apiRequest(config, 'GET', '/readyz')).status !== 200) return false;
      const node = (await apiRequest(config, 'GET', `/api/v1/nodes/${NODE}`)).body as {
        status?: { conditions?: { type: string; status: string }[] };
      };
      if (!node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return false;
      return (
        (await apiRequest(config, 'GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200
      );
    } catch {
      return false;
    }
  },
  env: (p) => ({
    KUBECONFIG: join(p.dir, 'admin.kubeconfig'),
    KUBECONFIG_VIEWER: join(p.dir, 'viewer.kubeconfig'),
    KUBE_SERVER_VERSION: KUBE_VERSION,
    KUBE_AUDIT_LOG: join(p.dir, 'logs', 'audit.log'),
  }),
};
