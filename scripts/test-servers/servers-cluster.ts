// The cluster-side test servers: a Kubernetes control plane (kube-plane.ts supervises its five processes)
// and a Docker engine: always a dockerd of our own, with its own socket, data, bridge and firewall rules,
// so it never meets a developer's daemon — one that runs is used only when named (FOUNDATION_TEST_USE_EXTERNAL=1
// and DOCKER_HOST), as every server of yours is.
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { enginesOn, runDirOf } from './docker-engines.js';
import { apiRequest, type PlaneConfig } from './kube-api.js';
import { DOCKER_BASE_ROOTFS, DOCKER_CONFIG, DOCKER_DATA, KUBE_BIN, KUBE_VERSION } from './paths.js';
import type { ServerDef, ServerPaths } from './servers.js';

const run = promisify(execFile);
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
  }),
};

const TAG = 'foundation-test-docker';
const BRIDGE = 'fdntest0';
const NET = '10.213.0.0/16';

const sh = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/** Is there a Docker engine at this host? */
async function answers(host: string): Promise<boolean> {
  try {
    await run('docker', ['-H', host, 'version', '--format', '{{.Server.Version}}'], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/** Our firewall rules: outbound NAT for our bridge's range, tagged so stop removes exactly these. */
const RULES: string[][] = [
  [
    '-t',
    'nat',
    'POSTROUTING',
    '-s',
    NET,
    '!',
    '-d',
    NET,
    '-m',
    'comment',
    '--comment',
    TAG,
    '-j',
    'MASQUERADE',
  ],
  ['-t', 'filter', 'FORWARD', '-s', NET, '-m', 'comment', '--comment', TAG, '-j', 'ACCEPT'],
  [
    '-t',
    'filter',
    'FORWARD',
    '-d',
    NET,
    '-m',
    'conntrack',
    '--ctstate',
    'RELATED,ESTABLISHED',
    '-m',
    'comment',
    '--comment',
    TAG,
    '-j',
    'ACCEPT',
  ],
];
const rule = (verb: string, r: string[]): string[] => [r[0] ?? '', r[1] ?? '', verb, ...r.slice(2)];

export const docker: ServerDef = {
  name: 'docker',
  portNames: [],
  // The engine, and what the tests build and run on it: the base root filesystem (images cannot be
  // pulled) and the client's Compose and buildx plugins — all from scripts/test-servers/install.
  requires: [
    '/usr/sbin/dockerd',
    '/usr/bin/containerd',
    DOCKER_BASE_ROOTFS,
    join(DOCKER_CONFIG, 'cli-plugins', 'docker-compose'),
    join(DOCKER_CONFIG, 'cli-plugins', 'docker-buildx'),
  ],
  overrides: ['DOCKER_HOST'],
  readyTimeoutMs: 60_000,
  prepare(p) {
    if (process.getuid?.() !== 0)
      throw new Error('starting a Docker engine needs root (or start Docker yourself)');
    const other = enginesOn(DOCKER_DATA)[0];
    if (other !== undefined) {
      const dir = runDirOf(other);
      throw new Error(
        `another test Docker engine (pid ${other}) uses ${DOCKER_DATA}; two cannot share it: stop that one first` +
          (dir === null
            ? ''
            : ` (FOUNDATION_TEST_SERVERS_DIR=${dir} node dist/scripts/test-servers/cli.js stop docker)`),
      );
    }
    mkdirSync(join(p.dir, 'exec'), { recursive: true });
    mkdirSync(DOCKER_DATA, { recursive: true });
    writeFileSync(join(p.dir, 'daemon.json'), '{}\n'); // not /etc/docker/daemon.json
    if (!sh('ip', ['link', 'show', BRIDGE])) sh('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
    sh('ip', ['addr', 'replace', '10.213.0.1/24', 'dev', BRIDGE]);
    sh('ip', ['link', 'set', BRIDGE, 'up']);
    writeFileSync('/proc/sys/net/ipv4/ip_forward', '1\n');
    for (const r of RULES) if (!sh('iptables', rule('-C', r))) sh('iptables', rule('-I', r));
  },
  command: (p) => ({
    cmd: 'dockerd',
    args: [
      `--host=unix://${join(p.dir, 'docker.sock')}`,
      `--data-root=${DOCKER_DATA}`,
      `--exec-root=${join(p.dir, 'exec')}`,
      `--pidfile=${join(p.dir, 'dockerd.pid')}`,
      `--config-file=${join(p.dir, 'daemon.json')}`,
      `--bridge=${BRIDGE}`,
      '--default-address-pool=base=10.213.128.0/17,size=24',
      '--iptables=false',
      '--containerd-namespace=foundation-test',
      '--containerd-plugins-namespace=foundation-test-plugins',
    ],
  }),
  ready: (p) => answers(`unix://${join(p.dir, 'docker.sock')}`),
  env: (p) => ({ DOCKER_HOST: `unix://${join(p.dir, 'docker.sock')}`, DOCKER_CONFIG }),
  cleanup(p) {
    // The bridge and its rules are shared: left alone while another test engine still runs on them.
    if (enginesOn(DOCKER_DATA).length === 0) {
      for (const r of RULES) while (sh('iptables', rule('-D', r)));
      sh('ip', ['link', 'delete', BRIDGE]);
    }
    // The engine's network namespace stays bind-mounted under its exec root (exec itself is no mount point,
    // so `umount -R exec` alone leaves it): unmount it, or the run's directory cannot be removed.
    sh('umount', [join(p.dir, 'exec', 'netns', 'default')]);
    sh('umount', ['-R', join(p.dir, 'exec')]);
  },
};
