import { defaultUrl, ingressBackend } from '../endpoints/list.js';
import type { Target } from '../model/task.js';
import { seconds } from '../report/summary.js';
import { formatTable } from '../ui/table.js';
import type { PlatformUrls } from '../validate/probes.js';

/**
 * One thing `scripts/wait-for-infra` waits for: a TCP port (the broker), an HTTP readiness path, or (on
 * Kubernetes, for what this machine has no address of) a Service's readiness path through the API server.
 */
export type Endpoint =
  | { readonly name: string; readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly name: string; readonly kind: 'http'; readonly url: string }
  | {
      readonly name: string;
      readonly kind: 'service';
      readonly namespace: string;
      readonly service: string;
      readonly port: number;
      readonly path: string;
    };

/** The backends' Services in namespace infra (Loki and Tempo have no Ingress: no address outside). */
const SERVICES = {
  prometheus: ingressBackend('prometheus'),
  grafana: ingressBackend('grafana'),
  loki: { service: 'loki', port: 3100 },
  tempo: { service: 'tempo', port: 3200 },
} as const;

/** What waiting for one endpoint ended with. */
export interface Waited {
  readonly name: string;
  readonly up: boolean;
  readonly ms: number;
  readonly detail: string;
}

/**
 * The broker(s) and each backend's readiness endpoint: the settings validate uses (on Compose their
 * published ports); else on k3d Grafana's and Prometheus's Ingress (as `foundation status` shows them);
 * else on k3d and cluster the Service through the API server, as `kubectl get --raw` would. Pure.
 */
export function endpoints(brokers: readonly string[], urls: PlatformUrls, target: Target): Endpoint[] {
  // Compose always has an address (its published port): only Kubernetes targets reach the Service.
  const http = (name: keyof typeof SERVICES, base: string | null, path: string): Endpoint =>
    base !== null
      ? { name, kind: 'http', url: `${base.replace(/\/+$/, '')}${path}` }
      : { name, kind: 'service', namespace: 'infra', ...SERVICES[name], path };
  const tcp = brokers.map((b): Endpoint => {
    const i = b.lastIndexOf(':');
    return { name: `broker ${b}`, kind: 'tcp', host: b.slice(0, i), port: Number(b.slice(i + 1)) };
  });
  const ui = (name: 'prometheus' | 'grafana', given: string | null) =>
    given ?? (target === 'k3d' ? defaultUrl(name, target) : null);
  const traces = urls.traces;
  return [
    ...tcp,
    http('prometheus', ui('prometheus', urls.prometheus), '/-/ready'),
    http('grafana', ui('grafana', urls.grafana), '/api/health'),
    http('loki', urls.loki, '/ready'),
    traces?.api === 'jaeger'
      ? { name: 'jaeger', kind: 'http', url: `${traces.url.replace(/\/+$/, '')}/` }
      : http('tempo', traces?.url ?? null, '/ready'),
  ];
}

/** The report: one line per endpoint, then which are missing and how to find out why. Pure. */
export function waitReport(results: readonly Waited[], timeoutMs: number): { text: string; ok: boolean } {
  const lines = formatTable(
    results.map((r) => [`${r.up ? '✔' : '✖'} ${r.name}`, r.up ? `up after ${seconds(r.ms)}` : r.detail]),
  );
  const missing = results.filter((r) => !r.up).map((r) => r.name);
  if (missing.length > 0)
    lines.push(
      `missing after ${seconds(timeoutMs)}: ${missing.join(', ')}`,
      'fix: foundation plan (which step is not converged), then foundation run <id>; docs/troubleshooting.md',
    );
  return { text: `${lines.join('\n')}\n`, ok: missing.length === 0 };
}
