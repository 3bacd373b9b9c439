// Requests that never become a Fastify request (Node's HTTP parser refused them: headers too large, not
// HTTP, timed out) and requests Fastify refuses before routing (a URL it cannot decode), answered in the
// service's one error shape instead of Fastify's default one. Node's parser errors have no request, so
// their answer has no requestId.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, sendError, type ErrorCode } from './errors.js';

interface ParserError extends Error {
  readonly code?: string;
}

/** The code and message for an error of Node's HTTP parser. Pure. */
export function parserErrorAnswer(
  error: ParserError,
  maxHeaderBytes: number,
): { code: ErrorCode; message: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW')
    return {
      code: 'HEADERS_TOO_LARGE',
      message: `the request line and headers are larger than the ${maxHeaderBytes} bytes this service reads: send a shorter URL or fewer headers`,
    };
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return {
      code: 'REQUEST_TIMEOUT',
      message: 'the request was not received in time: send it whole, at once',
    };
  return {
    code: 'VALIDATION',
    message:
      'the request is not valid HTTP/1.1 (e.g. a Content-Length that does not match the body): fix the client',
  };
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

/** Fastify's `frameworkErrors`: what it refuses before routing (FST_ERR_BAD_URL), in the one shape. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // The client's mistakes (a URL Fastify cannot decode, a path parameter over its length limit) are 400s;
  // only what Fastify itself calls a server error is INTERNAL.
  const appError =
    error.code === 'FST_ERR_BAD_URL'
      ? new AppError(
          'VALIDATION',
          'the URL is not valid: its percent-encoding is malformed (a "%" must start %XX): encode it',
        )
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new AppError('VALIDATION', 'a path parameter is longer than this service accepts: shorten it')
        : (error.statusCode ?? 500) < 500
          ? new AppError('VALIDATION', error.message)
          : new AppError('INTERNAL', 'internal error');
  if (appError.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
  void sendError(appError, request, reply);
}
