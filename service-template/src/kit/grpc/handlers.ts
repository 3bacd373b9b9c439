// Handlers as the service writes them, and as the server runs them: errors mapped to a status (AppError
// by code, anything else INTERNAL with no detail and a log line), thrown or rejected ones included.
import type {
  ServerErrorResponse,
  ServerUnaryCall,
  ServiceDefinition,
  UntypedHandleCall,
  UntypedServiceImplementation,
  handleUnaryCall,
  sendUnaryData,
} from '@grpc/grpc-js';
import { AppError } from '../../errors.js';
import { isStatusLike, toServiceError } from './status.js';

/**
 * A unary handler written as an async function: return the response, throw an AppError to fail.
 * `Get: unary(async (request) => items.get(request.id) ?? notFound())` — types come from the generated
 * handlers interface (ItemServiceHandlers). The kit's server maps what it throws.
 */
export function unary<Req, Res>(
  fn: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    fn(call.request, call).then(
      (response) => {
        callback(null, response);
      },
      (error: unknown) => {
        // The kit's wrapper (wrapHandlers) turns this into a status; grpc-js's type wants a status shape.
        callback(error as ServerErrorResponse);
      },
    );
  };
}

/** Called with an error that is neither an AppError nor a status: a bug, sent as INTERNAL. */
export type OnInternalError = (error: unknown, path: string) => void;

function wrapUnary(
  path: string,
  handler: handleUnaryCall<unknown, unknown>,
  onInternal: OnInternalError,
): handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    let answered = false;
    const respond: sendUnaryData<unknown> = (failure, value, trailer, flags) => {
      if (answered) return;
      answered = true;
      if (failure === null || failure === undefined) {
        callback(null, value, trailer, flags);
        return;
      }
      // An AppError arrives here too (thrown, or through unary()), typed by grpc-js as a status.
      const error: unknown = failure;
      const known = error instanceof AppError ? error.code !== 'INTERNAL' : isStatusLike(error);
      if (!known) onInternal(error, path);
      callback(toServiceError(error), null, trailer);
    };
    try {
      // Handlers are typed to return void, but an async one returns a promise: its rejection is an error.
      const result: unknown = handler(call, respond);
      if (result instanceof Promise) result.catch((error: unknown) => respond(error as ServerErrorResponse));
    } catch (error) {
      respond(error as ServerErrorResponse);
    }
  };
}

/**
 * The implementation with every unary method wrapped (found by name or original name, as grpc-js finds
 * them). Streaming methods are left as they are: fail them with `call.emit('error', toServiceError(e))`.
 */
export function wrapHandlers(
  definition: ServiceDefinition,
  implementation: UntypedServiceImplementation,
  onInternal: OnInternalError,
): UntypedServiceImplementation {
  const wrapped: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    const handler: UntypedHandleCall | undefined =
      implementation[name] ?? (method.originalName ? implementation[method.originalName] : undefined);
    if (handler === undefined) continue;
    const bound = handler.bind(implementation) as UntypedHandleCall;
    wrapped[name] =
      method.requestStream || method.responseStream
        ? bound
        : wrapUnary(method.path, bound as handleUnaryCall<unknown, unknown>, onInternal);
  }
  return wrapped;
}
