// What httpTelemetry reads of a request and writes about it: the span's attributes, the access-log line.
import type { Attributes, Span } from '@opentelemetry/api';
import { UNMATCHED_ROUTE } from './metrics.js';

type LogFn = (fields: object, msg: string) => void;

/** What the hooks read of a Fastify 5 request (typed here so lib/telemetry needs no Fastify of its own). */
export interface HttpRequestLike {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly routeOptions: { readonly url?: string | undefined };
  readonly protocol: string;
  readonly log: { readonly info: LogFn; readonly debug: LogFn };
}

export interface HttpReplyLike {
  readonly statusCode: number;
  /** Milliseconds since the request came in. */
  readonly elapsedTime: number;
  readonly raw: { readonly headersSent: boolean };
}

/** What a request aborted before its response started is counted as (nginx's "client closed request"). */
export const CLIENT_CLOSED = 499;

const INVALID_TRACE = '00000000000000000000000000000000';
export const COMPLETED = 'request completed';
export const ABORTED = 'request aborted';

/**
 * `server.address` and `server.port` from a Host header (`svc.local:8080`, `[::1]:3000`, `svc.local`), read
 * here rather than through Fastify's `hostname`/`port` getters, which cost several µs per request (a regex
 * and a split each). The address is '' when there is no Host header; the port null when it names none.
 */
export function hostAndPort(host: string | undefined): { address: string; port: number | null } {
  if (host === undefined || host === '') return { address: '', port: null };
  const close = host.startsWith('[') ? host.indexOf(']') : -1;
  const colon = host.indexOf(':', close + 1);
  if (colon === -1) return { address: close === -1 ? host : host.slice(0, close + 1), port: null };
  const port = Number(host.slice(colon + 1));
  return {
    address: host.slice(0, colon),
    port: Number.isInteger(port) && port > 0 && port < 65_536 ? port : null,
  };
}

/** The span's request attributes, per the stable HTTP semantic conventions (one object, no copies). */
export function requestAttributes(request: HttpRequestLike, route: string | undefined): Attributes {
  const query = request.url.indexOf('?');
  const host = request.headers.host;
  const server = hostAndPort(typeof host === 'string' ? host : undefined);
  const attributes: Attributes = {
    'http.request.method': request.method,
    'url.path': query === -1 ? request.url : request.url.slice(0, query),
    'url.scheme': request.protocol,
    'server.address': server.address,
  };
  if (server.port !== null) attributes['server.port'] = server.port;
  if (route !== undefined) attributes['http.route'] = route;
  const userAgent = request.headers['user-agent'];
  if (typeof userAgent === 'string') attributes['user_agent.original'] = userAgent;
  return attributes;
}

/** The access-log line's fields; the trace ids are given, as the response completes outside the context. */
export function accessFields(
  request: HttpRequestLike,
  route: string | undefined,
  status: number,
  ms: number,
  aborted: boolean,
  span: Span,
): Record<string, string | number | boolean> {
  const fields: Record<string, string | number | boolean> = {
    method: request.method,
    route: route ?? UNMATCHED_ROUTE,
    status_code: status,
    duration_ms: Math.round(ms * 100) / 100,
  };
  if (aborted) fields.aborted = true;
  const ids = span.spanContext();
  if (ids.traceId !== INVALID_TRACE) {
    fields.trace_id = ids.traceId;
    fields.span_id = ids.spanId;
  }
  return fields;
}
