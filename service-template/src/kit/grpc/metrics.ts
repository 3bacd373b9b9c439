// Server call metrics, named as go-grpc-prometheus names them (so existing dashboards work):
// grpc_server_handled_total and grpc_server_handling_seconds, by type, service, method and status code.
import { Counter, Histogram, type Registry } from '@prometheus-io/client';
import { statusName } from './status.js';

/** From 1 ms to 10 s: unary calls on a cluster network usually answer in a few milliseconds. */
export const GRPC_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const LABELS = ['grpc_type', 'grpc_service', 'grpc_method', 'grpc_code'] as const;
type Label = (typeof LABELS)[number];

export interface GrpcServerMetrics {
  readonly handled: Counter<Label>;
  readonly duration: Histogram<Label>;
  /**
   * The observer of one method: `(code, seconds)` with the numeric status, through label children made
   * once per code (no label object built and hashed per call). Codes outside 0-16 are observed uncached.
   */
  forMethod(type: string, service: string, method: string): (code: number, seconds: number) => void;
}

/** The status codes grpc-js defines: OK (0) to UNAUTHENTICATED (16). */
const CODES = 17;

export function createGrpcServerMetrics(registry: Registry): GrpcServerMetrics {
  const duration = new Histogram({
    name: 'grpc_server_handling_seconds',
    help: 'Time from a gRPC call arriving to its status being sent, by type, service, method and code.',
    labelNames: LABELS,
    buckets: GRPC_BUCKETS,
    registers: [registry],
  });
  // The counter is the histogram's count, copied at scrape time: a call costs one observation, not two.
  const handled: Counter<Label> = new Counter({
    name: 'grpc_server_handled_total',
    help: 'gRPC calls completed on the server, by type, service, method and status code.',
    labelNames: LABELS,
    registers: [registry],
    async collect() {
      const counts = (await duration.get()).values.filter(
        (v) => v.metricName === 'grpc_server_handling_seconds_count',
      );
      handled.reset();
      for (const v of counts) handled.inc(v.labels, v.value);
    },
  });
  return {
    handled,
    duration,
    forMethod(type, service, method) {
      const children: ({ observe(value: number): void } | undefined)[] = [];
      return (code, seconds) => {
        if (!(code >= 0 && code < CODES)) {
          duration.observe(
            { grpc_type: type, grpc_service: service, grpc_method: method, grpc_code: statusName(code) },
            seconds,
          );
          return;
        }
        let child = children[code];
        if (child === undefined) {
          child = duration.labels(type, service, method, statusName(code));
          children[code] = child;
        }
        child.observe(seconds);
      };
    },
  };
}
