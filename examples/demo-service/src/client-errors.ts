// Requests that never become a Fastify request (Node's HTTP parser refused them: headers too large, chunk
// extensions too large, not HTTP, timed out) and requests Fastify refuses before routing (a URL it cannot
// decode), answered in the service's one error shape instead of Fastify's default one. Node's parser
// errors have no request, so their answer has no requestId.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, sendError, type ErrorCode } from './errors.js';

interface ParserError extends Error {
  readonly code?: string;
}

/** Node's parser errors that are not a plain 400, with the answer Node itself gives them. */
const PARSER_ANSWERS = new Map<string, (maxHeaderBytes: number) => { code: ErrorCode; message: string }>([
  [
    'HPE_HEADER_OVERFLOW',
    (max) => ({
      code: 'HEADERS_TOO_LARGE',
      message: `the request line and headers are larger than the ${max} bytes this service reads: send a shorter URL or fewer headers`,
    }),
  ],
  [
    'HPE_CHUNK_EXTENSIONS_OVERFLOW',
    () => ({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'the chunk extensions of the body are larger than Node reads: send the body without them',
    }),
  ],
  [
    'ERR_HTTP_REQUEST_TIMEOUT',
    () => ({
      code: 'REQUEST_TIMEOUT',
      message: 'the request was not received in time: send it whole, at once',
    }),
  ],
]);

/** The code and message for an error of Node's HTTP parser. Pure. */
export function parserErrorAnswer(
  error: ParserError,
  maxHeaderBytes: number,
): { code: ErrorCode; message: string } {
  const answer = error.code === undefined ? undefined : PARSER_ANSWERS.get(error.code);
  return (
    answer?.(maxHeaderBytes) ?? {
      code: 'VALIDATION',
      message:
        'the request is not valid HTTP/1.1 (e.g. two different Content-Lengths, or bytes after the body): fix the client',
    }
  );
}

/** Fastify's `clientErrorHandler`: the answer written straight to the socket, which is then closed. */
export function clientErrorHandler(maxHeaderBytes: number): (error: ParserError, socket: Socket) => void {
  return (error, socket) => {
    // The client went away, the socket is past writing, or a response is already on its way (an answer
    // written now would land inside it): there is no one to answer, as Node decides without a handler.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (
      error.code === 'ECONNRESET' ||
      socket.destroyed ||
      !socket.writable ||
      inFlight?.headersSent === true
    ) {
      socket.destroy();
      return;
    }
    const { code, message } = parserErrorAnswer(error, maxHeaderBytes);
    const status = ERROR_STATUS[code];
    const body = JSON.stringify({ error: { code, message } });
    // Written, then the socket is destroyed (as Node does without a handler): a client that never closes
    // its side must not keep a half-closed socket open.
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      () => socket.destroy(),
    );
  };
}

/** What Fastify refuses before routing, by its code, with a message that says the fix. */
const FRAMEWORK_MESSAGES = new Map([
  [
    'FST_ERR_BAD_URL',
    'the URL is not valid: its percent-encoding is malformed (a "%" must start %XX): encode it',
  ],
  ['FST_ERR_MAX_PARAM_LENGTH', 'a path parameter is longer than this service accepts: shorten it'],
]);

/** Fastify's `frameworkErrors`: what it refuses before routing (FST_ERR_BAD_URL), in the one shape. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // The client's mistakes are 400s (with a known message where Fastify's says little); only what Fastify
  // itself calls a server error is INTERNAL, and logged.
  const known = FRAMEWORK_MESSAGES.get(error.code);
  const clientError = known !== undefined || (error.statusCode ?? 500) < 500;
  const appError = clientError
    ? new AppError('VALIDATION', known ?? error.message)
    : new AppError('INTERNAL', 'internal error');
  if (!clientError) request.log.error({ err: error }, 'request failed');
  void sendError(appError, request, reply);
}

/** The methods an Allow header can list, in the order it lists them. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** What the not-found handler needs of the app: Fastify's own router lookup. */
export interface RouteFinder {
  findRoute(options: { method: (typeof METHODS)[number]; url: string }): unknown;
}

/** The methods the app routes at this URL (query aside), HEAD with GET as Fastify adds it; [] when none. */
export function allowedMethods(app: RouteFinder, url: string): string[] {
  return METHODS.filter((method) => app.findRoute({ method, url }) !== null);
}

/**
 * Fastify's not-found handler: a path routed for other methods is 405 METHOD_NOT_ALLOWED with the Allow
 * header RFC 9110 asks for (`DELETE /items` on a GET-only path), any other 404 NOT_FOUND.
 */
export function notFoundHandler(app: RouteFinder) {
  return (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = allowedMethods(app, request.url);
    if (allowed.length === 0)
      return sendError(new AppError('NOT_FOUND', `no route for ${request.method} ${path}`), request, reply);
    void reply.header('allow', allowed.join(', '));
    const message = `${request.method} is not allowed on ${path}: it takes ${allowed.join(', ')}`;
    return sendError(new AppError('METHOD_NOT_ALLOWED', message), request, reply);
  };
}

/**
 * An onRequest hook: an HTTP/1.1 request without a Host header is a 400 in the one shape. Node would
 * answer it with an empty 400 of its own; the app turns that off (`requireHostHeader: false`) for this.
 */
export function requireHost(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const { httpVersionMajor, httpVersionMinor } = request.raw;
  if (request.headers.host === undefined && httpVersionMajor === 1 && httpVersionMinor >= 1) {
    void sendError(
      new AppError('VALIDATION', 'the request has no Host header, which HTTP/1.1 requires: send one'),
      request,
      reply,
    );
    return;
  }
  done();
}
