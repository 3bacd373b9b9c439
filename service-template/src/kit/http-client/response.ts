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

const utf8 = new TextDecoder();

export function bufferedResponse(
  status: number,
  headers: IncomingHttpHeaders,
  bytes: Uint8Array,
  source: string,
): HttpResponse {
  const text = (): string => utf8.decode(bytes);
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
