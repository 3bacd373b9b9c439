// The Kubernetes control plane for tests, as one supervised process: etcd → kube-apiserver (waits for
// /readyz) → kube-controller-manager, kube-scheduler, kwok (a fake kubelet) → one fake Node. Started by
// the test-server manager as `node kube-plane.js <dir>` (config in <dir>/plane.json, written by prepare).
// SIGTERM stops the children in reverse order; if any child dies, the others are stopped and this exits 1.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiRequest, type PlaneConfig } from './kube-api.js';
import { lastLines } from './log-tail.js';

const dir = process.argv[2] ?? '.';
const config = JSON.parse(readFileSync(join(dir, 'plane.json'), 'utf8')) as PlaneConfig;
const { bin, pki, ports } = config;
const logs = join(dir, 'logs');
mkdirSync(logs, { recursive: true });
const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

const log = (line: string): void => {
  process.stdout.write(`${new Date().toISOString()} kube-plane: ${line}\n`);
};

function start(name: string, args: string[]): void {
  const out = openSync(join(logs, `${name}.log`), 'a');
  const child = spawn(join(bin, name), args, { stdio: ['ignore', out, out] });
  children.push({ name, child });
  child.once('exit', (code, signal) => {
    if (stopping) return;
    const file = join(logs, `${name}.log`);
    log(`${name} exited (${String(code ?? signal)}); stopping the rest. Last lines of ${file}:`);
    for (const line of lastLines(file, 8)) process.stdout.write(`  ${line}\n`);
    void shutdown(1);
  });
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const { child } of [...children].reverse()) child.kill('SIGTERM');
  const until = Date.now() + 10_000;
  while (children.some((c) => c.child.exitCode === null && c.child.signalCode === null) && Date.now() < until)
    await sleep(100);
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
  process.exit(code);
}

async function until(what: string, check: () => Promise<boolean>, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) {
      log(`timed out waiting for ${what}`);
      await shutdown(1);
    }
    await sleep(200);
  }
  log(`${what} after ${process.uptime().toFixed(1)} s`);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown(0));

const api = `https://127.0.0.1:${String(ports.api)}`;
const etcd = `http://127.0.0.1:${String(ports.etcdClient)}`;
const kubeconfig = join(dir, 'admin.kubeconfig');
const authFlags = [
  `--kubeconfig=${kubeconfig}`,
  `--authentication-kubeconfig=${kubeconfig}`,
  `--authorization-kubeconfig=${kubeconfig}`,
];

start('etcd', [
  '--name=default',
  `--data-dir=${join(dir, 'etcd')}`,
  '--unsafe-no-fsync=true', // test data only: no disk sync on every write
  `--listen-client-urls=${etcd}`,
  `--advertise-client-urls=${etcd}`,
  `--listen-peer-urls=http://127.0.0.1:${String(ports.etcdPeer)}`,
  `--initial-advertise-peer-urls=http://127.0.0.1:${String(ports.etcdPeer)}`,
  `--initial-cluster=default=http://127.0.0.1:${String(ports.etcdPeer)}`,
  '--log-level=warn',
]);
await until('etcd healthy', async () => (await fetch(`${etcd}/health`)).ok);
start('kube-apiserver', [
  `--etcd-servers=${etcd}`,
  '--bind-address=127.0.0.1',
  '--advertise-address=127.0.0.1',
  `--secure-port=${String(ports.api)}`,
  `--tls-cert-file=${join(pki, 'apiserver.crt')}`,
  `--tls-private-key-file=${join(pki, 'apiserver.key')}`,
  `--client-ca-file=${join(pki, 'ca.crt')}`,
  `--token-auth-file=${join(pki, 'tokens.csv')}`,
  '--authorization-mode=Node,RBAC',
  `--service-account-key-file=${join(pki, 'sa.pub')}`,
  `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
  '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
  '--service-cluster-ip-range=10.0.0.0/24',
  '--allow-privileged=true',
  '--enable-admission-plugins=NodeRestriction',
  // A loopback advertise address makes the `kubernetes` Endpoints invalid: nothing reconciles them here.
  '--endpoint-reconciler-type=none',
  '--profiling=false',
  // Foundation's audit policy (secret access at the Metadata level), as on k3d (k8s/k3d-config.yaml)
  `--audit-policy-file=${config.audit.policy}`,
  `--audit-log-path=${config.audit.log}`,
]);
await until('kube-apiserver ready', async () => (await apiRequest(config, 'GET', '/readyz')).status === 200);
// The controller manager and the scheduler serve only their own health and metrics, which nothing here
// reads: port 0 turns that server off, so there is no port to pick ahead and lose to another process.
start('kube-controller-manager', [
  ...authFlags,
  '--secure-port=0',
  '--leader-elect=false',
  '--use-service-account-credentials=true',
  `--service-account-private-key-file=${join(pki, 'sa.key')}`,
  `--root-ca-file=${join(pki, 'ca.crt')}`,
  `--cluster-signing-cert-file=${join(pki, 'ca.crt')}`,
  `--cluster-signing-key-file=${join(pki, 'ca.key')}`,
  '--controllers=*,-nodeipam',
  '--profiling=false',
]);
start('kube-scheduler', [...authFlags, '--secure-port=0', '--leader-elect=false', '--profiling=false']);
start('kwok', [
  `--kubeconfig=${kubeconfig}`,
  `--config=${join(bin, 'kwok-stages.yaml')}`,
  '--manage-all-nodes=false',
  '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
  '--node-ip=127.0.0.1',
  `--node-port=${String(ports.kwok)}`,
  `--server-address=127.0.0.1:${String(ports.kwok)}`,
  '--cidr=10.244.0.0/16',
  '--node-lease-duration-seconds=40',
]);
const node = await apiRequest(config, 'POST', '/api/v1/nodes', {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: config.node,
    annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    labels: {
      'kubernetes.io/hostname': config.node,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      type: 'kwok',
    },
  },
  status: {
    allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
    capacity: { cpu: '32', memory: '256Gi', pods: '110' },
  },
});
if (node.status !== 201 && node.status !== 409) {
  log(`creating node ${config.node} failed: ${String(node.status)} ${JSON.stringify(node.body)}`);
  await shutdown(1);
}
log(`running: api ${api}, kubeconfig ${kubeconfig}`);
