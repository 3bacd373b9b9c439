// Clients of other gRPC services: a deadline on every call unless given, the caller's trace context in
// the metadata under a CLIENT span, and promise methods whose failures are the service's AppErrors.
import {
  InterceptingCall,
  Metadata,
  credentials,
  type CallOptions,
  type ChannelCredentials,
  type Client,
  type ClientOptions,
  type ClientUnaryCall,
  type Interceptor,
  type ServiceDefinition,
  type requestCallback,
} from '@grpc/grpc-js';
import { SpanKind, SpanStatusCode, context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { metadataSetter, splitPath } from './propagation.js';
import { fromStatus, isServiceError, statusName } from './status.js';

/** What a generated client constructor is: `proto.items.v1.ItemService`. */
export type ClientConstructor<C extends Client> = (new (
  address: string,
  credentials: ChannelCredentials,
  options?: ClientOptions,
) => C) & { readonly service: ServiceDefinition };

export interface CallSettings {
  /** This call's deadline in ms from now (default: the client's). */
  readonly deadlineMs?: number;
  readonly metadata?: Metadata;
  /** Cancels the call (it then fails CANCELLED, as UPSTREAM). */
  readonly signal?: AbortSignal;
}

type UnaryShape<A, R> = (argument: A, callback: requestCallback<R>) => ClientUnaryCall;

/** Each unary method of C as `(request, settings?) => Promise<response>`; `raw` is the grpc-js client. */
export type KitClient<C> = {
  readonly [K in keyof C as C[K] extends UnaryShape<infer _A, infer _R> ? K : never]: C[K] extends UnaryShape<
    infer A,
    infer R
  >
    ? (request: A, settings?: CallSettings) => Promise<R>
    : never;
} & { readonly raw: C; close(): void };

/** The client-side interceptor: default deadline, CLIENT span, W3C context into the metadata. */
export function clientInterceptor(deadlineMs: number, tracer: Tracer = trace.getTracer('grpc')): Interceptor {
  return (options, nextCall) => {
    const { service, method } = splitPath(options.method_definition.path);
    const span = tracer.startSpan(`${service}/${method}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method },
    });
    const withDeadline =
      options.deadline === undefined ? { ...options, deadline: Date.now() + deadlineMs } : options;
    return new InterceptingCall(nextCall(withDeadline), {
      start(metadata, _listener, next) {
        propagation.inject(trace.setSpan(context.active(), span), metadata, metadataSetter);
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            if (span.isRecording()) {
              span.setAttribute('rpc.grpc.status_code', status.code);
              if (status.code !== 0) {
                span.setAttribute('error.type', statusName(status.code));
                span.setStatus({ code: SpanStatusCode.ERROR, message: statusName(status.code) });
              }
            }
            span.end();
            nextStatus(status);
          },
        });
      },
    });
  };
}

type RawUnary = (
  request: unknown,
  metadata: Metadata,
  options: CallOptions,
  callback: requestCallback<unknown>,
) => ClientUnaryCall;

/** A client for `target` (host:port, plaintext: in-cluster traffic) with the kit's interceptor. */
export function createClient<C extends Client>(
  Ctor: ClientConstructor<C>,
  target: string,
  options: { readonly deadlineMs: number; readonly channel?: ClientOptions },
): KitClient<C> {
  const raw = new Ctor(target, credentials.createInsecure(), {
    ...options.channel,
    interceptors: [clientInterceptor(options.deadlineMs)],
  });
  const methods: Record<string, unknown> = { raw, close: () => raw.close() };
  for (const [name, definition] of Object.entries(Ctor.service)) {
    if (definition.requestStream || definition.responseStream) continue;
    const call = (raw as unknown as Record<string, RawUnary>)[name];
    if (call === undefined) continue;
    const promised = (request: unknown, settings: CallSettings = {}): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const callOptions =
          settings.deadlineMs === undefined ? {} : { deadline: Date.now() + settings.deadlineMs };
        const pending = call.call(
          raw,
          request,
          settings.metadata ?? new Metadata(),
          callOptions,
          (error, value) => {
            if (error) reject(isServiceError(error) ? fromStatus(error, definition.path.slice(1)) : error);
            else resolve(value);
          },
        );
        settings.signal?.addEventListener('abort', () => pending.cancel(), { once: true });
      });
    methods[name] = promised;
    if (definition.originalName) methods[definition.originalName] = promised;
  }
  return methods as KitClient<C>;
}
