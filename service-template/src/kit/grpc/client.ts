// Clients of other gRPC services: a deadline on every call unless given, the caller's trace context in
// the metadata under a CLIENT span, and promise methods whose failures are the service's AppErrors.
import {
  InterceptingCall,
  Metadata,
  credentials,
  status as Status,
  type CallOptions,
  type ChannelCredentials,
  type Client,
  type ClientOptions,
  type ClientUnaryCall,
  type Interceptor,
  type ServiceDefinition,
  type requestCallback,
} from '@grpc/grpc-js';
import {
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
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

/** What every CLIENT span of one method shares, worked out once per method. */
interface MethodSpan {
  readonly name: string;
  readonly attributes: Attributes;
}

function methodSpan(path: string): MethodSpan {
  const { service, method } = splitPath(path);
  return {
    name: `${service}/${method}`,
    attributes: { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method },
  };
}

/** A CLIENT span for the method, its context injected into `metadata` (W3C traceparent, tracestate). */
function startClientSpan(tracer: Tracer, method: MethodSpan, metadata: Metadata): Span {
  // Attributes only on a recorded span (the sampler is by ratio and reads none), as the HTTP hook does:
  // the SDK checks every attribute it is given, sampled or not.
  const span = tracer.startSpan(method.name, { kind: SpanKind.CLIENT });
  if (span.isRecording()) span.setAttributes(method.attributes);
  propagation.inject(trace.setSpan(context.active(), span), metadata, metadataSetter);
  return span;
}

function endClientSpan(span: Span, code: number): void {
  if (span.isRecording()) {
    span.setAttribute('rpc.grpc.status_code', code);
    if (code !== 0) {
      span.setAttribute('error.type', statusName(code));
      span.setStatus({ code: SpanStatusCode.ERROR, message: statusName(code) });
    }
  }
  span.end();
}

/**
 * The client-side interceptor, for the raw grpc-js client (the promise methods do the same without an
 * interceptor chain): default deadline, CLIENT span, W3C context into the metadata.
 */
export function clientInterceptor(deadlineMs: number, tracer: Tracer = trace.getTracer('grpc')): Interceptor {
  const methods = new Map<string, MethodSpan>(); // a client's methods: a fixed, small set
  return (options, nextCall) => {
    const withDeadline =
      options.deadline === undefined ? { ...options, deadline: Date.now() + deadlineMs } : options;
    return new InterceptingCall(nextCall(withDeadline), {
      start(metadata, _listener, next) {
        const { path } = options.method_definition;
        let method = methods.get(path);
        if (method === undefined) methods.set(path, (method = methodSpan(path)));
        const span = startClientSpan(tracer, method, metadata);
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            endClientSpan(span, status.code);
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

interface UnaryTarget {
  readonly client: Client;
  readonly call: RawUnary;
  /** `/package.Service/Method` */
  readonly path: string;
  readonly span: MethodSpan;
  readonly tracer: Tracer;
}

/** One promise call: span and context injected, deadline set, failures as AppErrors. */
function callUnary(
  target: UnaryTarget,
  request: unknown,
  settings: CallSettings,
  defaultDeadlineMs: number,
): Promise<unknown> {
  const { client, call, path, tracer } = target;
  return new Promise((resolve, reject) => {
    const metadata = settings.metadata ?? new Metadata();
    const span = startClientSpan(tracer, target.span, metadata);
    const deadline = Date.now() + (settings.deadlineMs ?? defaultDeadlineMs);
    const { signal } = settings;
    const done: requestCallback<unknown> = (error, value) => {
      signal?.removeEventListener('abort', cancel);
      if (error) {
        const known = isServiceError(error);
        endClientSpan(span, known ? error.code : Status.UNKNOWN);
        reject(known ? fromStatus(error, path.slice(1)) : error);
      } else {
        endClientSpan(span, Status.OK);
        resolve(value);
      }
    };
    // grpc-js captures the caller's stack on every call (≈ 20 µs at this depth, by CPU profile) to add
    // it to a failure's; the kit fails with an AppError of its own instead, so none is taken here.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let pending: ClientUnaryCall;
    try {
      pending = call.call(client, request, metadata, { deadline }, done);
    } catch (error) {
      Error.stackTraceLimit = limit;
      if (error instanceof Error) Error.captureStackTrace(error, callUnary); // the stack it was made without
      endClientSpan(span, Status.UNKNOWN);
      throw error;
    }
    Error.stackTraceLimit = limit;
    function cancel(): void {
      pending.cancel();
    }
    // A signal that outlives the call (a shutdown signal given to every call) keeps no listener.
    if (signal?.aborted) cancel();
    else signal?.addEventListener('abort', cancel, { once: true });
  });
}

/**
 * A client for `target` (host:port, plaintext: in-cluster traffic). The promise methods start the CLIENT
 * span, inject its context and set the deadline themselves, on a second grpc-js client that shares the
 * raw one's channel (connections) but has no interceptor chain to build per call.
 */
export function createClient<C extends Client>(
  Ctor: ClientConstructor<C>,
  target: string,
  options: { readonly deadlineMs: number; readonly channel?: ClientOptions },
): KitClient<C> {
  const tracer = trace.getTracer('grpc');
  const raw = new Ctor(target, credentials.createInsecure(), {
    ...options.channel,
    interceptors: [clientInterceptor(options.deadlineMs, tracer)],
  });
  const direct = new Ctor(target, credentials.createInsecure(), { channelOverride: raw.getChannel() });
  const methods: Record<string, unknown> = { raw, close: () => raw.close() };
  for (const [name, definition] of Object.entries(Ctor.service)) {
    if (definition.requestStream || definition.responseStream) continue;
    const call = (direct as unknown as Record<string, RawUnary>)[name];
    if (call === undefined) continue;
    const { path } = definition;
    const target: UnaryTarget = { client: direct, call, path, span: methodSpan(path), tracer };
    const promised = (request: unknown, settings: CallSettings = {}): Promise<unknown> =>
      callUnary(target, request, settings, options.deadlineMs);
    methods[name] = promised;
    if (definition.originalName) methods[definition.originalName] = promised;
  }
  return methods as KitClient<C>;
}
