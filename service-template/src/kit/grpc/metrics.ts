// Server call metrics, named as go-grpc-prometheus names them (so existing dashboards work):
// grpc_server_handled_total and grpc_server_handling_seconds, by type, service, method and status code.
import { Counter, Histogram, type Registry } from '@prometheus-io/client';

/** From 1 ms to 10 s: unary calls on a cluster network usually answer in a few milliseconds. */
export const GRPC_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const LABELS = ['grpc_type', 'grpc_service', 'grpc_method', 'grpc_code'] as const;
type Label = (typeof LABELS)[number];

export interface GrpcServerMetrics {
  readonly handled: Counter<Label>;
  readonly duration: Histogram<Label>;
  /** One finished call; `code` is the status name (`OK`, `NOT_FOUND`). */
  observe(type: string, service: string, method: string, code: string, seconds: number): void;
}

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
    observe(type, service, method, code, seconds) {
      duration.observe(
        { grpc_type: type, grpc_service: service, grpc_method: method, grpc_code: code },
        seconds,
      );
    },
  };
}
