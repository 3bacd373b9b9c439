import type { IncomingHttpHeaders } from 'node:http';
import { AppError } from '../../errors.js';

/**
 * A response read whole within the call's timeout (so the timeout covers the body too, the connection goes
 * back to the pool at once, and a body cut mid-way is retried like any other broken attempt).
 */
export interface HttpResponse {
  readonly status: number;
  /** 200-299. */
  readonly ok: boolean;
  /** Lower-case names, as undici gives them. */
  readonly headers: IncomingHttpHeaders;
  readonly bytes: Uint8Array;
  text(): string;
  /** The body parsed as JSON (not validated: pass a zod schema to getJson for that); UPSTREAM if not JSON. */
  json<T = unknown>(): T;
}

/** A body's UTF-8 text, a leading byte-order mark dropped as TextDecoder does (Buffer's decoder is faster). */
function utf8(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function bufferedResponse(
  status: number,
  headers: IncomingHttpHeaders,
  bytes: Uint8Array,
  source: string,
): HttpResponse {
  const text = (): string => utf8(bytes);
  return {
    status,
    ok: status >= 200 && status < 300,
    headers,
    bytes,
    text,
    json<T>(): T {
      try {
        return JSON.parse(text()) as T;
      } catch {
        throw new AppError('UPSTREAM', `${source} answered ${status} with a body that is not JSON`, {
          status,
          contentType: headers['content-type'] ?? null,
        });
      }
    },
  };
}
