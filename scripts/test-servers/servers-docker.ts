// The Docker engine for tests: always a dockerd of our own, with its own socket, data, bridge and firewall
// rules, so it never meets a developer's daemon — one that runs is used only when named
// (FOUNDATION_TEST_USE_EXTERNAL=1 and DOCKER_HOST), as every server of yours is.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { enginesOn, runDirOf } from './docker-engines.js';
import { DOCKER_BASE_ROOTFS, DOCKER_CONFIG, DOCKER_DATA } from './paths.js';
import type { ServerDef } from './servers.js';

const run = promisify(execFile);
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

/**
 * Network namespaces stay bind-mounted under a stopped engine's exec root: its own (`default`) and one per
 * container sandbox it did not tear down (it was killed, or stopped with containers running). The exec
 * root itself is no mount point, so `umount -R exec` alone leaves them: each is unmounted, or the run's
 * directory cannot be removed.
 */
export function unmountExecRoot(exec: string): void {
  const netns = join(exec, 'netns');
  for (const entry of existsSync(netns) ? readdirSync(netns) : []) sh('umount', [join(netns, entry)]);
  sh('umount', ['-R', exec]);
}

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
    unmountExecRoot(join(p.dir, 'exec'));
  },
};
