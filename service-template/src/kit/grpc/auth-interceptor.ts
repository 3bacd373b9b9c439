// Bearer tokens on gRPC calls: `authorization: Bearer <token>` metadata, checked by a verifier function
// before the handler runs. The verifier is any `(token) => Promise<Claims>` — the auth part's verify()
// when the service has both parts; this file imports nothing of it.
import {
  ServerInterceptingCall,
  status as Status,
  type Metadata,
  type ServerInterceptor,
} from '@grpc/grpc-js';
import { AppError } from '../../errors.js';
import { splitPath } from './propagation.js';
import { toStatus } from './status.js';

/** Verifies a bearer token: resolves with its claims, or rejects (an AppError UNAUTHORIZED, ideally). */
export type TokenVerifier<Claims> = (token: string) => Promise<Claims>;

/** Services every caller may use without a token: health checks come from probes and load balancers. */
export const ALWAYS_PUBLIC: readonly string[] = ['grpc.health.v1.Health'];

export interface GrpcAuth<Claims> {
  readonly interceptor: ServerInterceptor;
  /** The verified claims of a call (undefined on a public method). */
  claims(call: { readonly metadata: Metadata }): Claims | undefined;
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token of `authorization: Bearer <token>`, or null. */
export function bearerToken(metadata: Metadata): string | null {
  const value = metadata.get('authorization')[0];
  if (typeof value !== 'string') return null;
  return BEARER.exec(value)?.[1] ?? null;
}

/**
 * Calls without a valid token end UNAUTHENTICATED before reaching the handler (the verifier's AppError
 * keeps its meaning: UNAVAILABLE stays UNAVAILABLE). `publicMethods` are services (`pkg.Service`) or
 * methods (`pkg.Service/Method`) let through without a token. The token never appears in a status.
 */
export function grpcAuth<Claims>(
  verify: TokenVerifier<Claims>,
  publicMethods: readonly string[] = [],
): GrpcAuth<Claims> {
  const open = new Set([...ALWAYS_PUBLIC, ...publicMethods]);
  // The handler's call carries the metadata object verified here, so it keys the claims.
  const verified = new WeakMap<Metadata, Claims>();
  const interceptor: ServerInterceptor = (definition, call) => {
    const { service, method } = splitPath(definition.path);
    if (open.has(service) || open.has(`${service}/${method}`)) return new ServerInterceptingCall(call);
    return new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, nextMetadata) {
            const token = bearerToken(metadata);
            if (token === null) {
              call.sendStatus({
                code: Status.UNAUTHENTICATED,
                details: 'missing bearer token: send metadata "authorization: Bearer <token>"',
              });
              return;
            }
            verify(token).then(
              (claims) => {
                verified.set(metadata, claims);
                nextMetadata(metadata);
              },
              (error: unknown) => {
                call.sendStatus(
                  error instanceof AppError
                    ? toStatus(error)
                    : { code: Status.UNAUTHENTICATED, details: 'invalid bearer token' },
                );
              },
            );
          },
        });
      },
    });
  };
  return { interceptor, claims: (call) => verified.get(call.metadata) };
}
