// Entry point. HTTP telemetry comes from the app's own hooks (src/telemetry/http.ts), not from patching
// node:http, so the order of imports does not matter; telemetry still starts first, so the first request
// is traced.
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig, type Config } from './config.js';
import { logWarnings, serviceLogger, startServer, startupFix } from './server.js';
import { startTelemetry } from './telemetry/index.js';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(
    `${error.message}\nfix: set the variables above (each is described in .env.example)\n`,
  );
  process.exit(2);
}

const traced = config.TELEMETRY === 'on' && config.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined;
const telemetry = startTelemetry({
  serviceName: config.SERVICE_NAME,
  serviceVersion: config.SERVICE_VERSION,
  environment: config.DEPLOYMENT_ENVIRONMENT,
  otlpEndpoint: traced ? config.OTEL_EXPORTER_OTLP_ENDPOINT : undefined,
  sampleRatio: config.OTEL_TRACES_SAMPLER_ARG,
});

const logger = serviceLogger(config);
logWarnings(logger);
let service: Awaited<ReturnType<typeof startServer>>;
try {
  service = await startServer(config, telemetry, logger);
} catch (error) {
  // Through the service's logger: the line has its time and service, and no secret in it; said even
  // with LOG_LEVEL=silent (a child at fatal writes whatever its parent's level).
  // A known cause (a port in use) is the operator's to fix: one line with the fix, no stack, exit 2 as
  // for an invalid setting. Anything else is logged whole, exit 1.
  const fix = startupFix(error, config);
  const known = fix !== undefined && error instanceof Error;
  logger
    .child({}, { level: 'fatal' })
    .fatal(known ? { error: error.message, fix } : { err: error }, 'failed to start');
  await telemetry.shutdown();
  await new Promise<void>((resolve) => {
    logger.flush(() => {
      resolve();
    });
  });
  process.exit(known ? 2 : 1);
}
const shutdownTimeoutMs = config.SHUTDOWN_TIMEOUT_MS;
closeWithGrace(
  {
    delay: shutdownTimeoutMs,
    // Its own lines ("second SIGTERM, exiting", an error) as JSON log lines, not plain text on stderr.
    logger: {
      error: (what: unknown) => {
        if (what instanceof Error) logger.error({ err: what }, 'shutdown failed');
        else logger.error(String(what));
      },
    },
    onTimeout: () => {
      logger.error(
        { timeoutMs: shutdownTimeoutMs },
        'shutdown did not finish within SHUTDOWN_TIMEOUT_MS: exiting (code 1), requests still in flight are cut',
      );
    },
  },
  async ({ signal, err }) => {
    if (err) service.app.log.error({ err }, 'fatal error');
    await service.shutdown(signal ?? (err ? 'error' : 'exit'));
  },
);
