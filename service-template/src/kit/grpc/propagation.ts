// W3C trace context in gRPC metadata (traceparent / tracestate keys), through the global propagator.
import type { Metadata } from '@grpc/grpc-js';
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

export const metadataGetter: TextMapGetter<Metadata> = {
  keys: (carrier) => Object.keys(carrier.getMap()),
  get(carrier, key) {
    const value = carrier.get(key)[0];
    return typeof value === 'string' ? value : undefined;
  },
};

export const metadataSetter: TextMapSetter<Metadata> = {
  set(carrier, key, value) {
    carrier.set(key, value);
  },
};

/** `/items.v1.ItemService/Get` → service `items.v1.ItemService`, method `Get`. */
export function splitPath(path: string): { service: string; method: string } {
  const slash = path.lastIndexOf('/');
  return { service: path.slice(1, slash), method: path.slice(slash + 1) };
}

/** The call type as metrics label it: unary, client_stream, server_stream or bidi_stream. */
export function callType(definition: { requestStream: boolean; responseStream: boolean }): string {
  if (definition.requestStream) return definition.responseStream ? 'bidi_stream' : 'client_stream';
  return definition.responseStream ? 'server_stream' : 'unary';
}
