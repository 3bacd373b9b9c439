import type { KubeObject } from '../ports/kube.js';
import type { PublishedPort } from '../ports/containers.js';
import type { Target } from '../model/task.js';

/**
 * The objects as a target may publish them. On k3d a Service of type LoadBalancer is published by k3d's
 * own load balancer, bound to 127.0.0.1 (k8s/k3d-config.yaml). On an existing cluster (target cluster)
 * it would get that cluster's load balancer, often reachable from outside it, for a broker without a
 * login: there it becomes a ClusterIP Service, reached from this machine with `kubectl port-forward`.
 * Pure: the objects given are not changed.
 */
export function exposedFor(objects: readonly KubeObject[], target: Target): KubeObject[] {
  if (target === 'k3d') return [...objects];
  return objects.map((o) => {
    const spec = o.spec as Record<string, unknown> | undefined;
    if (o.kind !== 'Service' || spec?.type !== 'LoadBalancer') return o;
    return { ...o, spec: { ...spec, type: 'ClusterIP' } };
  });
}

/**
 * The published ports of a container that answer beyond this machine, once each: `*:19092` for a port
 * bound to every interface (Docker lists it twice, as 0.0.0.0 and ::; an empty address is that too),
 * `192.168.1.5:19092` for one bound to an address that is not loopback. Pure.
 */
export function openBindings(ports: readonly PublishedPort[]): string[] {
  const loopback = (ip: string): boolean => ip.startsWith('127.') || ip === '::1';
  const everywhere = (ip: string): boolean => ip === '' || ip === '0.0.0.0' || ip === '::';
  const address = (ip: string): string => (everywhere(ip) ? '*' : ip.includes(':') ? `[${ip}]` : ip);
  const open = ports.filter((p) => !loopback(p.hostIp)).map((p) => `${address(p.hostIp)}:${p.hostPort}`);
  return [...new Set(open)];
}
