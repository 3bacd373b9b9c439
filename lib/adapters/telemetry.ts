import { join } from 'node:path';
import { pino } from 'pino';
import type { Config } from '../config/schema.js';
import { createRunObserver, type RunObserver } from '../report/observe.js';
import { createLogger, createRegistry, startTelemetry, tracer } from '../telemetry/index.js';

export interface RunTelemetry {
  /** Spans, task-duration metrics and the JSON runner log (runner.log) for one run. */
  observe(runDir: string): RunObserver;
  /** Flush spans; call once before the process exits. Resolves to why they were not delivered, or null. */
  shutdown(): Promise<string | null>;
}

/** OpenTelemetry for the runner: traces go to OTEL_EXPORTER_OTLP_ENDPOINT when it is set. */
export function createRunTelemetry(o: {
  config: Config;
  secretValues: readonly string[];
  version: string;
}): RunTelemetry {
  const telemetry = startTelemetry({
    serviceName: 'foundation',
    serviceVersion: o.version,
    environment: 'local',
    otlpEndpoint: o.config.otlpEndpoint,
  });
  return {
    observe: (runDir) =>
      createRunObserver({
        tracer: tracer('foundation', o.version),
        registry: createRegistry({ defaultMetrics: false }),
        logger: createLogger({
          name: 'foundation',
          level: o.config.logLevel,
          secrets: o.secretValues,
          destination: pino.destination({ dest: join(runDir, 'runner.log'), sync: true }),
        }),
      }),
    shutdown: () => telemetry.shutdown(),
  };
}
