// The grpc part: a gRPC server for the service's own API (with the standard health service, error
// mapping, spans, metrics and — given a token verifier — bearer-token auth) and clients of other services.
import type { Client, Metadata, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { z } from 'zod';
import type { PartDeps, StartedPart } from '../part.js';
import { grpcAuth, type TokenVerifier } from './auth-interceptor.js';
import { createClient, type ClientConstructor, type KitClient } from './client.js';
import { wrapHandlers } from './handlers.js';
import { healthHandlers, healthState } from './health.js';
import { createGrpcServerMetrics } from './metrics.js';
import { loadHealthProto } from './proto.js';
import { StartupError } from '../../errors.js';
import { listen, routeGrpcLogs, shutdown } from './server.js';
import { serverTelemetry } from './server-telemetry.js';

export { unary } from './handlers.js';
export { bearerToken, type TokenVerifier } from './auth-interceptor.js';
export type { CallSettings, KitClient } from './client.js';
export { PROTO_DIR, loadHealthProto, loadItemsProto } from './proto.js';
export { fromStatus, toServiceError } from './status.js';

export const grpcSettings = {
  /** The gRPC server's port (0: any free port, for tests). */
  GRPC_PORT: z.coerce.number().int().min(0).max(65_535).default(50_051),
  /** The address the gRPC server listens on. */
  GRPC_HOST: z.string().min(1).default('0.0.0.0'),
  /** The deadline of a client call that sets none, in milliseconds. */
  GRPC_CLIENT_DEADLINE_MS: z.coerce.number().int().min(1).max(300_000).default(5_000),
  /** The largest message sent or received, in bytes (grpc-js' default: 4 MiB). */
  GRPC_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(64 * 1024 * 1024)
    .default(4 * 1024 * 1024),
  /** On shutdown, how long calls in flight may finish before they are cut. */
  GRPC_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** The level of the one log line per call, or off (health checks are never logged). */
  GRPC_LOG_CALLS: z.enum(['info', 'debug', 'off']).default('info'),
};
export type GrpcSettings = z.infer<z.ZodObject<typeof grpcSettings>>;

export interface GrpcOptions<Claims> {
  /** Bearer-token auth on every call but the health service's and `publicMethods`. Unset: no auth. */
  readonly verifyToken?: TokenVerifier<Claims>;
  /** Services (`pkg.Service`) or methods (`pkg.Service/Method`) callable without a token. */
  readonly publicMethods?: readonly string[];
}

export interface GrpcServerHandle {
  /** The port the server listens on. */
  readonly port: number;
  /** Serve a service: `addService(proto.items.v1.ItemService.service, handlers)` (unary errors mapped). */
  addService(definition: ServiceDefinition, implementation: UntypedServiceImplementation): void;
  /** What health Check answers from: the service's readiness. Default: serving while up. */
  setReadiness(check: () => Promise<boolean>): void;
}

export interface GrpcHandle<Claims> {
  readonly server: GrpcServerHandle;
  /** A client of `target` (host:port): `handle.client(proto.items.v1.ItemService, 'items:50051')`. */
  client<C extends Client>(
    Ctor: ClientConstructor<C>,
    target: string,
    options?: { deadlineMs?: number },
  ): KitClient<C>;
  /** The verified claims of a call (undefined without auth or on a public method). */
  claims(call: { readonly metadata: Metadata }): Claims | undefined;
}

export async function startGrpc<Claims = never>(
  settings: GrpcSettings,
  deps: PartDeps,
  options: GrpcOptions<Claims> = {},
): Promise<StartedPart<GrpcHandle<Claims>>> {
  const health = healthState();
  const auth = options.verifyToken ? grpcAuth(options.verifyToken, options.publicMethods) : null;
  const telemetry = serverTelemetry({
    metrics: createGrpcServerMetrics(deps.registry),
    logger: deps.logger,
    logCalls: settings.GRPC_LOG_CALLS,
    quietServices: new Set(['grpc.health.v1.Health']),
    contextForMetadata: auth !== null,
  });
  const unrouteLogs = routeGrpcLogs(deps.logger);
  const where = `${settings.GRPC_HOST}:${settings.GRPC_PORT}`;
  const { server, port } = await listen(
    { host: settings.GRPC_HOST, port: settings.GRPC_PORT, maxMessageBytes: settings.GRPC_MAX_MESSAGE_BYTES },
    auth ? [telemetry, auth.interceptor] : [telemetry],
  ).catch((error: unknown) => {
    unrouteLogs();
    const why = error instanceof Error ? error.message : String(error);
    // A port in use is the operator's to fix (exit 2); a bad host or a privileged port is rethrown whole.
    if (!/EADDRINUSE|address already in use/i.test(why)) throw error;
    throw new StartupError(
      `the gRPC server cannot listen on ${where} (${why})`,
      `stop what listens on ${where}, or set GRPC_PORT to a free port`,
    );
  });
  const services = new Set<string>();
  const onInternal = (error: unknown, path: string): void => {
    deps.logger.error({ err: error, rpc: path }, 'call failed');
  };
  const addService: GrpcServerHandle['addService'] = (definition, implementation) => {
    server.addService(definition, wrapHandlers(definition, implementation, onInternal));
    for (const method of Object.values(definition))
      services.add(method.path.slice(1, method.path.lastIndexOf('/')));
  };
  try {
    addService(
      (await loadHealthProto()).grpc.health.v1.Health.service,
      healthHandlers(health, () => services),
    );
  } catch (error) {
    // Bound but not serving (its proto unreadable): nothing is left open or routed to a kit that is not.
    server.forceShutdown();
    unrouteLogs();
    throw error;
  }

  const clients = new Set<{ close(): void }>();
  deps.logger.info({ port, auth: auth !== null }, 'gRPC server listening');
  return {
    handle: {
      server: { port, addService, setReadiness: (check) => health.setReadiness(check) },
      client(Ctor, target, clientOptions = {}) {
        const client = createClient(Ctor, target, {
          deadlineMs: clientOptions.deadlineMs ?? settings.GRPC_CLIENT_DEADLINE_MS,
          channel: {
            'grpc.primary_user_agent': deps.serviceName,
            'grpc.max_receive_message_length': settings.GRPC_MAX_MESSAGE_BYTES,
            'grpc.max_send_message_length': settings.GRPC_MAX_MESSAGE_BYTES,
          },
        });
        clients.add(client);
        return client;
      },
      claims: (call) => auth?.claims(call),
    },
    async close() {
      health.stopServing();
      await shutdown(server, settings.GRPC_SHUTDOWN_TIMEOUT_MS);
      for (const client of clients) client.close();
      unrouteLogs();
    },
  };
}
