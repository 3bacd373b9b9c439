// The host ports a k3d cluster publishes, read from its config (the Compose stack's come from Compose
// itself: lib/compose/published-ports.ts), and the error when another program already listens on one:
// said before anything starts, naming each port and who wants it, instead of a container runtime's "port
// is already allocated" halfway through. Pure but for asking the Listeners port.
import { FoundationError } from '../errors.js';
import { yamlRecord } from '../yaml-text.js';
import type { Listeners } from '../ports/host.js';
import { asRecord, asList } from '../model/plain-data.js';

export interface HostPort {
  /** What publishes it: a Compose service, or `k3d` (the cluster's load balancer). */
  readonly owner: string;
  readonly host: string;
  readonly port: number;
}

/** A TCP port a program can listen on (1-65535); Compose and k3d refuse any other themselves. */
const validPort = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65_535;

/**
 * A published port in Docker's short syntax, `[host:]port:containerPort[/tcp]` (`[::1]:8080:80` too), as
 * host and port; null for a port Docker picks (`127.0.0.1::80`, `80` alone), a range, or UDP. Pure.
 */
export function parsePortSpec(spec: string): { host: string; port: number } | null {
  const [mapping = '', protocol = 'tcp'] = spec.trim().split('/');
  if (protocol !== 'tcp') return null;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(mapping);
  const parts = v6 ? [v6[1] ?? '', ...(v6[2] ?? '').split(':')] : mapping.split(':');
  if (parts.length < 2) return null;
  const [host, published] =
    parts.length >= 3 ? [parts[0] ?? '', parts[1] ?? ''] : ['0.0.0.0', parts[0] ?? ''];
  if (!validPort(Number(published)) || !/^\d+$/.test(published)) return null;
  return { host: host === '' ? '0.0.0.0' : host, port: Number(published) };
}

/** The ports a k3d config publishes (`ports: [{ port: '127.0.0.1:8080:80' }]`). Pure. */
export function k3dPorts(text: string): HostPort[] {
  const config = yamlRecord(text);
  const api = asRecord(config?.kubeAPI);
  const apiPort = Number(api?.hostPort);
  const apiHost = typeof api?.hostIP === 'string' ? api.hostIP : '0.0.0.0';
  return [
    ...asList(config?.ports).flatMap((p) => {
      const spec = asRecord(p)?.port;
      const parsed = typeof spec === 'string' ? parsePortSpec(spec) : null;
      return parsed === null ? [] : [{ owner: 'k3d', ...parsed }];
    }),
    // The Kubernetes API, when the config fixes its port (by default k3d picks a free one).
    ...(validPort(apiPort) ? [{ owner: 'k3d (Kubernetes API)', host: apiHost, port: apiPort }] : []),
  ];
}

/** The ports of `wanted` another program listens on. */
export async function busyPorts(listeners: Listeners, wanted: readonly HostPort[]): Promise<HostPort[]> {
  const busy: HostPort[] = [];
  for (const p of wanted) {
    // Published on every address: Docker binds IPv6's too, where a program may listen alone.
    const hosts = p.host === '0.0.0.0' ? ['0.0.0.0', '::'] : [p.host];
    for (const host of hosts)
      if (await listeners.inUse(host, p.port)) {
        busy.push(p);
        break;
      }
  }
  return busy;
}

/** E_PORT_IN_USE for these ports, before `what` starts. Pure. */
export function portsInUse(busy: readonly HostPort[], what: string): FoundationError {
  const named = busy.map((p) => `${p.host}:${p.port} (${p.owner})`).join(', ');
  const first = busy[0]?.port ?? 0;
  return new FoundationError(
    'E_PORT_IN_USE',
    `${what} cannot start: another program listens on ${named}`,
    `stop it (see which: ss -ltnp 'sport = :${first}', or lsof -iTCP:${first} -sTCP:LISTEN), or the other Foundation platform that holds it (task down -- --target <the other target>), then run again`,
  );
}
