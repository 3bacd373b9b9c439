import { Counter, Histogram, Registry, collectDefaultMetrics } from '@prometheus-io/client';

/** Latency buckets in seconds, from 5 ms to 10 s: fine where services usually answer. */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface HttpMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status_code'>;
  readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  /** Record one request. `route` is the route template (`/events/:id`), never the raw URL. */
  observe(method: string, route: string | undefined, statusCode: number, seconds: number): void;
}

/** A registry of its own (no global state), with the default process metrics unless turned off. */
export function createRegistry(options: { defaultMetrics?: boolean; prefix?: string } = {}): Registry {
  const registry = new Registry();
  if (options.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry, ...(options.prefix ? { prefix: options.prefix } : {}) });
  }
  return registry;
}

/** Unmatched paths all share one label value, so a scan of random URLs cannot explode the series count. */
export const UNMATCHED_ROUTE = 'unmatched';

/** RED metrics named per Prometheus conventions: `http_requests_total`, `http_request_duration_seconds`. */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  const labelNames = ['method', 'route', 'status_code'] as const;
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route template and status code.',
    labelNames,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  // The request counter is the histogram's count, copied at scrape time: a request costs one observation
  // (one label lookup), not two.
  const requests: Counter<(typeof labelNames)[number]> = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests handled, by method, route template and status code.',
    labelNames,
    registers: [registry],
    async collect() {
      const counts = (await duration.get()).values.filter(
        (v) => v.metricName === 'http_request_duration_seconds_count',
      );
      requests.reset();
      for (const v of counts) requests.inc(v.labels, v.value);
    },
  });
  return {
    registry,
    requests,
    duration,
    observe(method, route, statusCode, seconds) {
      duration.observe({ method, route: route ?? UNMATCHED_ROUTE, status_code: String(statusCode) }, seconds);
    },
  };
}
