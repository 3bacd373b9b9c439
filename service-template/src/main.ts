// Entry point. Telemetry starts before the HTTP stack is loaded, so the HTTP server is instrumented.
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig, type Config } from './config.js';
import { startTelemetry } from './telemetry/index.js';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\nfix: set the variables above (see README.md, Configuration)\n`);
  process.exit(2);
}

const traced = config.TELEMETRY === 'on' && config.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined;
const instrumentations = [];
if (traced) {
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const { FastifyOtelInstrumentation } = await import('@fastify/otel');
  const quiet = new Set(['/livez', '/readyz', '/health', '/ready', '/metrics']);
  instrumentations.push(
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => quiet.has((req.url ?? '').split('?')[0] ?? ''),
    }),
    new FastifyOtelInstrumentation({ registerOnInitialization: true, ignorePaths: (o) => quiet.has(o.url) }),
  );
}
const telemetry = startTelemetry({
  serviceName: config.SERVICE_NAME,
  serviceVersion: config.SERVICE_VERSION,
  environment: config.DEPLOYMENT_ENVIRONMENT,
  otlpEndpoint: traced ? config.OTEL_EXPORTER_OTLP_ENDPOINT : undefined,
  instrumentations,
});

const { startServer } = await import('./server.js');
let service: Awaited<ReturnType<typeof startServer>>;
try {
  service = await startServer(config, telemetry);
} catch (error) {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'failed to start', err: String(error) })}\n`);
  await telemetry.shutdown();
  process.exit(1);
}
closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS }, async ({ signal, err }) => {
  if (err) service.app.log.error({ err }, 'fatal error');
  await service.shutdown(signal ?? (err ? 'error' : 'exit'));
});
