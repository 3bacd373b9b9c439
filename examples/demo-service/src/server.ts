import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp, type ReadinessCheck } from './app.js';
import { secretsIn, type Config, type IdentitySettings } from './config.js';
import { StartupError } from './errors.js';
import { createEventBus } from './kafka.js';
import { defineService } from './service.js';
import { createHttpMetrics, createLogger, createRegistry, type Telemetry } from './telemetry/index.js';

export interface RunningService {
  readonly app: FastifyInstance;
  readonly port: number;
  /** The documented order: not ready → wait → close HTTP (drains) → consumer → producer → telemetry. */
  shutdown(reason: string): Promise<void>;
}

/**
 * The service's JSON logger: every line has time, level, service, version and environment, and the
 * passwords of its URL settings (DATABASE_URL, REDIS_URL…) are masked wherever they appear in it.
 */
export function serviceLogger(config: IdentitySettings & Readonly<Record<string, unknown>>): Logger {
  return createLogger({
    name: config.SERVICE_NAME,
    level: config.LOG_LEVEL,
    base: { version: config.SERVICE_VERSION, environment: config.DEPLOYMENT_ENVIRONMENT },
    secrets: secretsIn(config),
  });
}

/**
 * Node's process warnings (a deprecation, pg's SSL-mode notice…) as `warn` lines of the service's log, not
 * plain text on stderr that a log shipper cannot parse: Node's own printer is a 'warning' listener, and it
 * is replaced. The name and code are fields (`warning`, `code`). `--no-warnings` (Node then adds no
 * printer) keeps them silent, and `--no-deprecation` the deprecations.
 */
export function logWarnings(
  logger: Logger,
  proc: Pick<NodeJS.Process, 'removeAllListeners' | 'on' | 'listenerCount'> = process,
): void {
  if (proc.listenerCount('warning') === 0) return; // --no-warnings: the operator wants none
  proc.removeAllListeners('warning');
  proc.on('warning', (warning) => {
    const code = (warning as Error & { code?: unknown }).code;
    logger.warn({ warning: warning.name, ...(typeof code === 'string' ? { code } : {}) }, warning.message);
  });
}

/** What to do about a start-up failure, when its cause is known (a port in use); undefined otherwise. */
export function startupFix(error: unknown, config: Config): string | undefined {
  if (error instanceof StartupError) return error.fix;
  if ((error as { code?: unknown } | null)?.code === 'EADDRINUSE')
    return `port ${config.PORT} on ${config.HOST} is in use: stop what listens there, or set PORT to a free one`;
  return undefined;
}

export async function startServer(
  config: Config,
  telemetry: Telemetry,
  logger: Logger = serviceLogger(config),
): Promise<RunningService> {
  const on = config.TELEMETRY === 'on';
  const registry = createRegistry({ defaultMetrics: on });
  const bus = config.KAFKA_BROKERS
    ? createEventBus({
        client: config.KAFKA_CLIENT,
        brokers: config.KAFKA_BROKERS.split(','),
        clientId: config.SERVICE_NAME,
        logger,
        connection: {
          publishTimeoutMs: config.KAFKA_PUBLISH_TIMEOUT_MS,
          reconnect: { baseMs: 100, capMs: config.KAFKA_RECONNECT_MAX_DELAY_MS },
        },
      })
    : null;
  const service = defineService({
    config,
    logger,
    bus,
    registry,
  });
  // Kafka away: the service still starts and answers /livez; /readyz says why it is not ready.
  const readiness: ReadinessCheck[] = bus ? [{ name: 'kafka', check: () => bus.readiness() }] : [];
  const built = await buildApp({
    config,
    logger,
    registry,
    http: on ? createHttpMetrics(registry) : null,
    readiness,
    service,
  });
  const { app, state } = built;
  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  if (bus && service.topics.length > 0) {
    // Returns at once: the consumer joins its group in the background, whenever the broker is there.
    await bus.consume(service.topics, config.KAFKA_GROUP_ID ?? config.SERVICE_NAME, (event) =>
      service.handle(event),
    );
  }
  logger.info(
    { port, kafka: bus === null ? 'off' : config.KAFKA_CLIENT, tracing: telemetry.enabled },
    'service started',
  );

  let stopping: Promise<void> | null = null;
  const shutdown = async (reason: string): Promise<void> => {
    logger.info({ reason }, 'shutting down');
    state.ready = false;
    await sleep(config.SHUTDOWN_DELAY_MS);
    await app.close();
    await bus?.stopConsuming();
    await bus?.close();
    // The last spans go before the last log lines, so a collector that is away is said in them.
    const lost = await telemetry.shutdown();
    if (lost !== null) logger.warn({ err: lost }, 'last spans not delivered');
    logger.info('stopped');
    await new Promise<void>((resolve) => {
      logger.flush(() => {
        resolve();
      });
    });
  };
  return { app, port, shutdown: (reason) => (stopping ??= shutdown(reason)) };
}
