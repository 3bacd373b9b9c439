// The service's error codes and gRPC status codes, both ways (pure: no server, no client).
import { Metadata, status as Status, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { AppError, type ErrorCode } from '../../errors.js';

/** What a handler's AppError is sent as. INTERNAL is sent without its message (it may say too much). */
export const GRPC_STATUS_OF: Readonly<Record<ErrorCode, Status>> = {
  VALIDATION: Status.INVALID_ARGUMENT,
  UNAUTHORIZED: Status.UNAUTHENTICATED,
  FORBIDDEN: Status.PERMISSION_DENIED,
  NOT_FOUND: Status.NOT_FOUND,
  METHOD_NOT_ALLOWED: Status.UNIMPLEMENTED,
  CONFLICT: Status.ALREADY_EXISTS,
  PAYLOAD_TOO_LARGE: Status.RESOURCE_EXHAUSTED,
  UNSUPPORTED_MEDIA_TYPE: Status.INVALID_ARGUMENT,
  HEADERS_TOO_LARGE: Status.RESOURCE_EXHAUSTED,
  REQUEST_TIMEOUT: Status.DEADLINE_EXCEEDED,
  INTERNAL: Status.INTERNAL,
  // gRPC's own HTTP mapping sends 502, 503 and 504 as UNAVAILABLE; a deadline is a timeout here.
  UPSTREAM: Status.UNAVAILABLE,
  UNAVAILABLE: Status.UNAVAILABLE,
  TIMEOUT: Status.DEADLINE_EXCEEDED,
};

/** What a status received from another service becomes; anything not listed is UPSTREAM (502). */
const APP_CODE_OF: Partial<Record<Status, ErrorCode>> = {
  [Status.INVALID_ARGUMENT]: 'VALIDATION',
  [Status.UNAUTHENTICATED]: 'UNAUTHORIZED',
  [Status.PERMISSION_DENIED]: 'FORBIDDEN',
  [Status.NOT_FOUND]: 'NOT_FOUND',
  [Status.ALREADY_EXISTS]: 'CONFLICT',
  [Status.UNAVAILABLE]: 'UNAVAILABLE',
  [Status.DEADLINE_EXCEEDED]: 'TIMEOUT',
};

/** The status name (`NOT_FOUND`) of a code, for metrics labels and logs. */
export function statusName(code: number): string {
  return Status[code] ?? String(code);
}

/** An error as the status to send: AppError by code, a grpc-js ServiceError as it is, anything else INTERNAL. */
export function toStatus(error: unknown): Pick<StatusObject, 'code' | 'details'> & { metadata?: Metadata } {
  if (error instanceof AppError) {
    const code = GRPC_STATUS_OF[error.code];
    return { code, details: error.code === 'INTERNAL' ? 'internal error' : error.message };
  }
  if (isStatusLike(error)) {
    const details = error.details ?? (error instanceof Error ? error.message : '');
    return { code: error.code, details, ...(error.metadata ? { metadata: error.metadata } : {}) };
  }
  return { code: Status.INTERNAL, details: 'internal error' };
}

/** The ServiceError to hand a grpc-js callback (or emit on a stream) for this error. */
export function toServiceError(error: unknown): Partial<ServiceError> & Error {
  const { code, details, metadata } = toStatus(error);
  return Object.assign(new Error(details), { code, details, metadata: metadata ?? new Metadata() });
}

/** A status received from `service/method` as the service's own error (the upstream's details kept). */
export function fromStatus(error: { code: number; details: string }, method: string): AppError {
  const code = APP_CODE_OF[error.code as Status] ?? 'UPSTREAM';
  const what = `${method} answered ${statusName(error.code)}`;
  return new AppError(code, error.details ? `${what}: ${error.details}` : what, { grpcCode: error.code });
}

/** A status a handler may fail with: `{ code: status.NOT_FOUND, details }`, or a grpc-js ServiceError. */
export function isStatusLike(
  error: unknown,
): error is { code: Status; details?: string; metadata?: Metadata | null } {
  return (
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number'
  );
}

/** A grpc-js error: an Error with a numeric status code (what a client callback receives). */
export function isServiceError(error: unknown): error is ServiceError {
  return (
    error instanceof Error &&
    typeof (error as Partial<ServiceError>).code === 'number' &&
    typeof (error as Partial<ServiceError>).details === 'string'
  );
}
