import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { trace } from '@opentelemetry/api';
import { BrokerUnavailableError } from './bus/unavailable.js';

/** The error codes clients can rely on, and the HTTP status each maps to. */
export const ERROR_STATUS = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  /** The path exists, with other methods (sent with Allow). */
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** The request line and headers are larger than Node reads (16 KiB by default). */
  HEADERS_TOO_LARGE: 431,
  /** The request did not arrive whole within Node's request or headers timeout. */
  REQUEST_TIMEOUT: 408,
  INTERNAL: 500,
  /** A service this one called failed or answered with an error it cannot pass on. */
  UPSTREAM: 502,
  UNAVAILABLE: 503,
  /** A call to another service or a database took longer than its timeout. */
  TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A 503 without a Retry-After of its own tells the client to retry after this many seconds. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Sent as Retry-After (seconds) with a 503 (UNAVAILABLE); DEFAULT_RETRY_AFTER_SECONDS when unset. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/**
 * A start-up failure whose cause is known and the operator's to fix (a port in use): the service says it
 * in one line with the fix, no stack, and exits 2 as for an invalid setting.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/** At most this many validation problems are sent in `details` (the message counts them all). */
export const MAX_DETAILS = 20;

/** Fastify's own errors, by code, as ours. */
const FASTIFY: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION',
};

/** What the request said, to word Fastify's body errors (413, 415) with what the client should change. */
export interface RequestFacts {
  /** The most the service reads (BODY_LIMIT_BYTES). */
  readonly bodyLimitBytes?: number;
  /** The request's content-type header, as sent. */
  readonly contentType?: string | undefined;
}

function bodyMessage(code: string, facts: RequestFacts): string | undefined {
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' && facts.bodyLimitBytes !== undefined)
    return `the body is larger than the ${facts.bodyLimitBytes} bytes this service accepts`;
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return facts.contentType === undefined
      ? 'the request has a body but no content-type: send it as application/json'
      : `content-type "${facts.contentType.slice(0, 100)}" is not accepted here: send application/json`;
  return undefined;
}

export function toAppError(error: FastifyError | AppError | Error, facts: RequestFacts = {}): AppError {
  if (error instanceof AppError) return error;
  // The broker is away: the event was not acknowledged; the client may retry once it is back.
  if (error instanceof BrokerUnavailableError)
    return new AppError('UNAVAILABLE', error.message, undefined, error.retryAfterSeconds);
  const fastify = error as FastifyError;
  // The first problems only: a 64 KiB body of 12,000 wrong items would otherwise answer 1.7 MB of details.
  if (fastify.validation)
    return new AppError('VALIDATION', fastify.message, fastify.validation.slice(0, MAX_DETAILS));
  const code = fastify.code ? FASTIFY[fastify.code] : undefined;
  if (code) return new AppError(code, bodyMessage(fastify.code ?? '', facts) ?? fastify.message);
  if (fastify.statusCode === 400) return new AppError('VALIDATION', fastify.message);
  return new AppError('INTERNAL', 'internal error');
}

/**
 * Every error response has one shape: { error: { code, message, details?, requestId, traceId? } }; a 503
 * also says when to retry (Retry-After, in seconds).
 */
export function sendError(error: AppError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const traceId = trace.getActiveSpan()?.spanContext().traceId;
  if (error.code === 'UNAVAILABLE')
    reply.header('retry-after', String(error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS));
  return reply.status(error.status).send({
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      requestId: request.id,
      ...(traceId ? { traceId } : {}),
    },
  });
}
