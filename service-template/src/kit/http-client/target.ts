// Where a call goes, worked out once per call: the origin (its breaker's key), the path sent, the host and
// port for spans and metrics, credentials moved out of the URL into an Authorization header, and the forms
// of the URL that may be shown: `display` (origin + path, no query) for messages and logs, and `fullRedacted`
// (url.full per the OTel HTTP conventions: credentials and sensitive query values replaced by REDACTED).
import { isSecretParam } from '../../telemetry/secret-values.js';

/** A URL (string or URL), or an origin and a path (`{ origin: 'http://orders:8080', path: '/orders/1' }`). */
export type Target = string | URL | { readonly origin: string; readonly path: string };

export interface ResolvedTarget {
  /** scheme://host:port, never with credentials. */
  readonly origin: string;
  /** The path and query sent. */
  readonly path: string;
  readonly host: string;
  readonly port: number;
  /** `Basic …` when the URL carried user:password (they never stay in the URL). */
  readonly authorization: string | undefined;
  /** Origin + path without the query: safe in messages, logs and error details. */
  readonly display: string;
  /** url.full: credentials and sensitive query values redacted, no fragment. */
  readonly fullRedacted: string;
}

export const REDACTED = 'REDACTED';

/** Query parameters whose values never reach a span: the OTel list and any credential (secret-values.ts). */
function redactQuery(search: string): string {
  if (search === '' || search === '?') return '';
  const params = new URLSearchParams(search);
  for (const key of new Set(params.keys())) {
    if (isSecretParam(key)) params.set(key, REDACTED);
  }
  return `?${params.toString()}`;
}

function parse(input: string): URL {
  try {
    return new URL(input);
  } catch {
    // Node's error keeps the input (it may hold credentials): ours does not.
    throw new TypeError('http-client: not an absolute URL (expected http://host[:port]/path)');
  }
}

function basic(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined;
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

/** A resolved origin (its path '/'), kept to resolve further paths on it without parsing it again. */
export type OriginInfo = ResolvedTarget;

/** `path` on a resolved origin without credentials; the path must need no normalising (see target-cache). */
export function resolvedFrom(origin: OriginInfo, path: string): ResolvedTarget {
  const query = path.indexOf('?');
  const pathname = query === -1 ? path : path.slice(0, query);
  return {
    origin: origin.origin,
    path,
    host: origin.host,
    port: origin.port,
    authorization: undefined,
    display: origin.origin + pathname,
    fullRedacted: origin.origin + pathname + (query === -1 ? '' : redactQuery(path.slice(query))),
  };
}

export function resolveTarget(target: Target): ResolvedTarget {
  let url: URL;
  if (typeof target === 'string') url = parse(target);
  else if (target instanceof URL) url = target;
  else {
    if (!target.path.startsWith('/')) throw new TypeError("http-client: a path starts with '/'");
    url = parse(target.origin.replace(/\/$/, '') + target.path);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`http-client: only http: and https: URLs are supported, not ${url.protocol}`);
  }
  const authorization = basic(url);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const credentials = authorization === undefined ? '' : `${REDACTED}:${REDACTED}@`;
  return {
    origin: url.origin,
    path: url.pathname + url.search,
    host,
    port,
    authorization,
    display: url.origin + url.pathname,
    fullRedacted: `${url.protocol}//${credentials}${url.host}${url.pathname}${redactQuery(url.search)}`,
  };
}
