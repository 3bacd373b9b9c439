import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.js';

/**
 * How deep `text` nests objects and arrays, stopping as soon as it passes `limit` (returns limit + 1).
 * One pass, no recursion: it runs before JSON.parse, so a body of 60,000 `[` never reaches anything that
 * recurses (validation, serialisation for Kafka, logging) and can't overflow the stack.
 */
export function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * JSON bodies, strictly: valid UTF-8 (RFC 8259; invalid bytes are a 400, never silently replaced),
 * nested at most `maxDepth` levels (400), no number beyond a double's range (400, not Infinity → null),
 * prototype poisoning refused (Fastify's parser does the rest), not compressed (415: no content coding
 * but identity, no transfer coding but chunked). Other types, text/plain included, get 415 unless a
 * route's service adds a parser for them.
 */
export function strictJsonBodies(app: FastifyInstance, maxDepth: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    // No route: the answer is 404 whatever the body holds, so it is not read.
    if (request.is404) {
      done(null, undefined);
      return;
    }
    // A compressed body would be read as its raw bytes: refused, as RFC 9110 asks of a server without
    // the coding (415), rather than answered with a misleading "not valid UTF-8" or "not JSON".
    const refused = refusedCoding(request.headers);
    if (refused !== undefined) {
      done(
        new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          `${refused.header} "${refused.coding.slice(0, 40)}" is not accepted here: send the body uncompressed`,
        ),
        undefined,
      );
      return;
    }
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      done(new AppError('VALIDATION', 'the body is not valid UTF-8'), undefined);
      return;
    }
    if (nestingDepth(text, maxDepth) > maxDepth) {
      done(new AppError('VALIDATION', `the body nests objects or arrays deeper than ${maxDepth} levels`));
      return;
    }
    parseJson(request, text, (error, value) => {
      if (error === null) {
        // JSON.parse reads 1e999 as Infinity, which the body would then carry as null: refused instead.
        // The walk runs only when the text has an exponent or a 309-digit run (rare in real bodies).
        if (MAY_OVERFLOW.test(text) && hasNonFinite(value, maxDepth)) done(new AppError('VALIDATION', HUGE));
        else done(null, value);
        return;
      }
      // Fastify says "not valid JSON" for both; valid JSON here was refused for a poisoning key.
      done(validJson(text) ? new AppError('VALIDATION', POISONED) : error, undefined);
    });
  });
}

/** Codings that leave the body's bytes as they are, by header (Node's parser undoes chunked). */
const PLAIN = {
  'content-encoding': new Set(['', 'identity']),
  'transfer-encoding': new Set(['', 'identity', 'chunked']),
} as const;

/**
 * The first coding of the body this service cannot undo, from Content-Encoding (e.g. gzip) or
 * Transfer-Encoding (e.g. "gzip, chunked"), or undefined when the body is plain. An empty header is
 * plain. Pure.
 */
export function refusedCoding(
  headers: IncomingHttpHeaders,
): { header: 'content-encoding' | 'transfer-encoding'; coding: string } | undefined {
  for (const header of ['content-encoding', 'transfer-encoding'] as const) {
    // Node joins a repeated header into one string; one set as a list (by a hook, by inject) counts too.
    const value: unknown = headers[header];
    const listed = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '';
    const coding = listed
      .split(',')
      .map((c) => c.trim().toLowerCase())
      .find((c) => !PLAIN[header].has(c));
    if (coding !== undefined) return { header, coding };
  }
  return undefined;
}

const HUGE = 'a number in the body is beyond what a 64-bit float holds (about ±1.8e308)';
/** An exponent after a digit or point, or a run of digits long enough to pass 1.8e308. */
const MAY_OVERFLOW = /[\d.][eE]|\d{309}/;

/** Whether a parsed body holds Infinity anywhere (nesting is bounded by the depth check before). */
function hasNonFinite(value: unknown, depthLeft: number): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object' || depthLeft < 0) return false;
  const items = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
  return items.some((item) => hasNonFinite(item, depthLeft - 1));
}

const POISONED = 'the body holds a "__proto__" or "constructor.prototype" key, which this service refuses';

function validJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
