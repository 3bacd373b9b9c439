import { Counter, Gauge, Histogram, type Registry } from '@prometheus-io/client';

/** Buckets in seconds, 1 ms to 10 s: calls to other services are mostly fast; timeouts land at the top. */
const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface HttpClientMetrics {
  /** One observation per attempt (a retried call is several HTTP requests, as OTel counts them). */
  readonly duration: Histogram<'method' | 'server_address' | 'status_class'>;
  readonly retries: Counter<'method' | 'server_address'>;
  /** 0 closed, 1 open, 2 half-open (cockatiel's CircuitState), by origin. */
  readonly breakerState: Gauge<'origin'>;
  readonly rejected: Counter<'origin'>;
  /** duration.observe through a cache of label children (no label hashing per call). */
  observe(method: string, serverAddress: string, status: number | undefined, seconds: number): void;
}

const MAX_CHILDREN = 1_000;

/** 2xx…5xx, or `error` when no response came (timeout, refused, reset). */
export function statusClass(status: number | undefined): string {
  return status === undefined ? 'error' : `${Math.floor(status / 100)}xx`;
}

export function createHttpClientMetrics(registry: Registry): HttpClientMetrics {
  const registers = [registry];
  const duration = new Histogram({
    name: 'http_client_request_duration_seconds',
    help: 'Outgoing HTTP requests (each attempt), by method, server address and status class (error: no response).',
    labelNames: ['method', 'server_address', 'status_class'] as const,
    buckets: BUCKETS,
    registers,
  });
  // Label children by method, then server address, then status class: the lookups hash strings that are
  // already hashed (the same method and host strings every call), instead of a key built per call.
  type Child = { observe(value: number): void };
  const children = new Map<string, Map<string, (Child | undefined)[]>>();
  let count = 0;
  return {
    duration,
    observe(method, serverAddress, status, seconds) {
      // 0: no response; 1-5: 1xx-5xx. A status outside 100-599 is observed without a cached child.
      const index = status === undefined ? 0 : status >= 100 && status < 600 ? Math.floor(status / 100) : -1;
      if (index === -1) {
        duration.observe(
          { method, server_address: serverAddress, status_class: statusClass(status) },
          seconds,
        );
        return;
      }
      let byHost = children.get(method);
      if (byHost === undefined) {
        byHost = new Map();
        if (count < MAX_CHILDREN) children.set(method, byHost);
      }
      let byClass = byHost.get(serverAddress);
      if (byClass === undefined) {
        byClass = [];
        if (count < MAX_CHILDREN) byHost.set(serverAddress, byClass);
      }
      let child = byClass[index];
      if (child === undefined) {
        child = duration.labels(method, serverAddress, statusClass(status));
        byClass[index] = child;
        count += 1;
      }
      child.observe(seconds);
    },
    retries: new Counter({
      name: 'http_client_retries_total',
      help: 'Outgoing HTTP requests sent again after a retryable failure, by method and server address.',
      labelNames: ['method', 'server_address'] as const,
      registers,
    }),
    breakerState: new Gauge({
      name: 'http_client_circuit_breaker_state',
      help: 'Circuit breaker state by origin: 0 closed, 1 open, 2 half-open.',
      labelNames: ['origin'] as const,
      registers,
    }),
    rejected: new Counter({
      name: 'http_client_circuit_breaker_rejections_total',
      help: "Calls failed at once because the origin's circuit breaker was open.",
      labelNames: ['origin'] as const,
      registers,
    }),
  };
}
