// The gRPC server: bound on GRPC_HOST:GRPC_PORT (plaintext, for in-cluster traffic), interceptors in
// order (telemetry sees every status, auth's rejections included), and a bounded graceful shutdown.
import { format } from 'node:util';
import { Server, ServerCredentials, setLogger, type ServerInterceptor } from '@grpc/grpc-js';
import type { Logger } from 'pino';

export interface ServerSettings {
  readonly host: string;
  readonly port: number;
  readonly maxMessageBytes: number;
}

function address(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * A started server and the port it got (GRPC_PORT=0 picks a free one). Interceptors run in array order
 * for what arrives (metadata, message) and in reverse for the status: put telemetry first.
 */
export async function listen(
  settings: ServerSettings,
  interceptors: ServerInterceptor[],
): Promise<{ server: Server; port: number }> {
  const server = new Server({
    interceptors,
    'grpc.max_receive_message_length': settings.maxMessageBytes,
    'grpc.max_send_message_length': settings.maxMessageBytes,
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      address(settings.host, settings.port),
      ServerCredentials.createInsecure(),
      (error, bound) => {
        if (error) reject(error);
        else resolve(bound);
      },
    );
  });
  return { server, port };
}

/** The loggers of the kits running in this process, newest last: grpc-js's lines go to the newest. */
const sinks: { readonly logger: Logger }[] = [];

/** grpc-js's line when bindAsync fails: the same words as the error its callback gets. */
const BIND_FAILED = /^No address added out of total \d+ resolved/;

/** grpc-js's default: raw lines on stderr, as it writes them when no service is running. */
const stderrLine =
  (prefix: 'E' | 'I' | 'D') =>
  (...args: unknown[]): void => {
    process.stderr.write(`${prefix} ${format(...args)}\n`);
  };
const STDERR = { error: stderrLine('E'), info: stderrLine('I'), debug: stderrLine('D') };

/**
 * grpc-js's own log lines (errors only, unless GRPC_VERBOSITY says more) as the service's JSON lines, at
 * their level: by default it writes raw text to stderr, which a log pipeline reading JSON cannot parse.
 * grpc-js has one logger per process: with several kits (tests), the newest running one gets the lines.
 * Returns the undo, called at shutdown: once no kit runs, grpc-js writes to stderr again.
 */
export function routeGrpcLogs(logger: Logger): () => void {
  const sink = { logger }; // this kit's own entry: two kits may share one logger
  sinks.push(sink);
  const to =
    (level: 'error' | 'info' | 'debug') =>
    (...args: unknown[]): void => {
      const text = format(...args);
      if (level === 'error' && BIND_FAILED.test(text)) return; // listen() rejects with it: said once, there
      sinks.at(-1)?.logger[level]({ source: 'grpc-js' }, text);
    };
  if (sinks.length === 1) setLogger({ error: to('error'), info: to('info'), debug: to('debug') });
  return () => {
    const at = sinks.indexOf(sink);
    if (at === -1) return; // undone already
    sinks.splice(at, 1);
    if (sinks.length === 0) setLogger(STDERR);
  };
}

/** Let calls in flight finish for up to `timeoutMs`, then cut what is left. Resolves once closed. */
export function shutdown(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, timeoutMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
