import { seconds } from '../report/summary.js';
import { formatTable } from '../ui/table.js';
import type { PlatformUrls } from '../validate/probes.js';

/** One thing `scripts/wait-for-infra` waits for: a TCP port (the broker) or an HTTP readiness path. */
export type Endpoint =
  | { readonly name: string; readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly name: string; readonly kind: 'http'; readonly url: string }
  | { readonly name: string; readonly kind: 'unset'; readonly setting: string };

/** What waiting for one endpoint ended with. */
export interface Waited {
  readonly name: string;
  readonly up: boolean;
  readonly ms: number;
  readonly detail: string;
}

const http = (name: string, base: string | null, path: string, setting: string): Endpoint =>
  base === null
    ? { name, kind: 'unset', setting }
    : { name, kind: 'http', url: `${base.replace(/\/+$/, '')}${path}` };

/** The broker(s) and each backend's readiness endpoint, from the same settings validate uses. Pure. */
export function endpoints(brokers: readonly string[], urls: PlatformUrls): Endpoint[] {
  const tcp = brokers.map((b): Endpoint => {
    const i = b.lastIndexOf(':');
    return { name: `broker ${b}`, kind: 'tcp', host: b.slice(0, i), port: Number(b.slice(i + 1)) };
  });
  const traces = urls.traces;
  return [
    ...tcp,
    http('prometheus', urls.prometheus, '/-/ready', 'PROMETHEUS_URL'),
    http('grafana', urls.grafana, '/api/health', 'GRAFANA_URL'),
    http('loki', urls.loki, '/ready', 'LOKI_URL'),
    traces === null
      ? { name: 'tempo', kind: 'unset', setting: 'TEMPO_URL' }
      : http(traces.api, traces.url, traces.api === 'jaeger' ? '/' : '/ready', 'TEMPO_URL'),
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
