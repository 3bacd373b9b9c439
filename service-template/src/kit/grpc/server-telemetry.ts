// One interceptor for what every call leaves behind: a SERVER span (parent from the caller's W3C
// metadata, active for the handler), one metrics observation and one log line, taken when the status is
// sent (by the handler, or by grpc-js refusing the call) — or, for a call cancelled or out of time, when
// grpc-js reports it gone.
import {
  ServerInterceptingCall,
  status as Status,
  type ServerInterceptor,
  type ServerMethodDefinition,
} from '@grpc/grpc-js';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { GrpcServerMetrics } from './metrics.js';
import { callType, metadataGetter, splitPath } from './propagation.js';
import { statusName } from './status.js';

export type CallLogLevel = 'info' | 'debug' | 'off';

export interface ServerTelemetryOptions {
  readonly metrics: GrpcServerMetrics;
  readonly logger: Logger;
  readonly logCalls: CallLogLevel;
  /** Services neither traced, counted nor logged (the health service: probes would drown the rest). */
  readonly quietServices: ReadonlySet<string>;
  /**
   * An interceptor after this one reads the metadata in the call's context (the auth interceptor's
   * token check): run it there. Without one, a unary call's metadata needs no context switch.
   */
  readonly contextForMetadata?: boolean;
  readonly tracer?: Tracer;
}

/** Server span status per the RPC semantic conventions: only these codes are the server's fault. */
const SERVER_ERRORS = new Set<number>([
  Status.UNKNOWN,
  Status.DEADLINE_EXCEEDED,
  Status.UNIMPLEMENTED,
  Status.INTERNAL,
  Status.UNAVAILABLE,
  Status.DATA_LOSS,
]);

/** What every call of one method shares, worked out at its first call. */
interface MethodInfo {
  readonly spanName: string;
  readonly attributes: Attributes;
  /** A request stream: the handler reads messages as they arrive, so they run in the call's context. */
  readonly requestStream: boolean;
  readonly observe: (code: number, seconds: number) => void;
  /** The call log's logger, `rpc` bound once (null when calls are not logged). */
  readonly log: Logger | null;
}

/**
 * Whether a cancel `remainingMs` before the server's deadline, `elapsedMs` into the call, is the caller's
 * deadline. The caller's clock started before the request crossed the wire, so its deadline passes (and
 * it cancels) while the server still has that transit time left: a cancel within a fifth of the call's
 * time (at most 50 ms) of the deadline counts as DEADLINE_EXCEEDED. Pure.
 */
export function pastDeadline(remainingMs: number, elapsedMs: number): boolean {
  return remainingMs <= Math.min(50, 0.2 * (remainingMs + elapsedMs));
}

/** At most this many methods are remembered (a server serves a fixed set; this only bounds memory). */
const MAX_METHODS = 1_000;

export function serverTelemetry(options: ServerTelemetryOptions): ServerInterceptor {
  const tracer = options.tracer ?? trace.getTracer('grpc');
  const { logger, logCalls, metrics } = options;
  const contextForMetadata = options.contextForMetadata ?? true;
  const methods = new Map<string, MethodInfo | null>();
  const describe = (definition: ServerMethodDefinition<unknown, unknown>): MethodInfo | null => {
    let info = methods.get(definition.path);
    if (info !== undefined) return info;
    const { service, method } = splitPath(definition.path);
    info = options.quietServices.has(service)
      ? null
      : {
          spanName: `${service}/${method}`,
          attributes: { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method },
          requestStream: definition.requestStream,
          observe: metrics.forMethod(callType(definition), service, method),
          log: logCalls === 'off' ? null : logger.child({ rpc: definition.path }),
        };
    if (methods.size < MAX_METHODS) methods.set(definition.path, info);
    return info;
  };
  return (definition, call) => {
    const info = describe(definition);
    if (info === null) return new ServerInterceptingCall(call);
    const started = performance.now();
    let active: Context = ROOT_CONTEXT;
    let span: Span | undefined;
    let finished = false;

    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      const seconds = (performance.now() - started) / 1_000;
      if (span?.isRecording()) {
        span.setAttribute('rpc.grpc.status_code', code);
        if (SERVER_ERRORS.has(code)) {
          const name = statusName(code);
          span.setAttribute('error.type', name);
          span.setStatus({ code: SpanStatusCode.ERROR, message: name });
        }
      }
      span?.end();
      info.observe(code, seconds);
      if (info.log === null || logCalls === 'off') return; // null exactly when off: narrows logCalls
      const ids = span?.spanContext();
      info.log[logCalls](
        {
          grpc_code: statusName(code),
          duration_ms: Math.round(seconds * 100_000) / 100,
          ...(ids && trace.isSpanContextValid(ids) ? { trace_id: ids.traceId, span_id: ids.spanId } : {}),
        },
        'call completed',
      );
    };

    // grpc-js refuses some calls itself (a message over GRPC_MAX_MESSAGE_BYTES, one it cannot decode or
    // decompress): the call under the interceptors sends that status on its own, which no interceptor's
    // sendStatus sees, and then reports the call gone. Heard here, the call is recorded with that status
    // (RESOURCE_EXHAUSTED…), not as CANCELLED. This interceptor is the first, so `call` is that call.
    const own = call.sendStatus.bind(call);
    call.sendStatus = (status) => {
      finish(status.code);
      own(status);
    };
    return new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, nextMetadata) {
            const parent = propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
            // Attributes only on a recorded span (the sampler is by ratio and reads none): the SDK checks
            // every attribute it is given, sampled or not.
            span = tracer.startSpan(info.spanName, { kind: SpanKind.SERVER }, parent);
            if (span.isRecording()) span.setAttributes(info.attributes);
            active = trace.setSpan(parent, span);
            // A request-streaming handler starts here, and the auth interceptor checks the token here:
            // both in the call's context. A unary or server-streaming handler starts at half-close.
            if (info.requestStream || contextForMetadata)
              context.with(active, nextMetadata, undefined, metadata);
            else nextMetadata(metadata);
          },
          onReceiveMessage(message: unknown, nextMessage) {
            if (info.requestStream) context.with(active, nextMessage, undefined, message);
            else nextMessage(message);
          },
          onReceiveHalfClose(nextHalfClose) {
            context.with(active, nextHalfClose);
          },
          // After every status too (ignored then): first here means the caller left or time ran out.
          onCancel() {
            if (finished) return; // the usual case: grpc-js reports every call gone once its status is out
            const deadline = call.getDeadline();
            const timedOut =
              deadline !== Infinity &&
              pastDeadline(new Date(deadline).getTime() - Date.now(), performance.now() - started);
            finish(timedOut ? Status.DEADLINE_EXCEEDED : Status.CANCELLED);
          },
        });
      },
      sendStatus(status, nextStatus) {
        finish(status.code);
        nextStatus(status);
      },
    });
  };
}
