// The service kit's contract. Each part (postgres, redis, http-client, grpc, auth) lives in src/kit/<part>/
// and is kept only in services generated with it (`foundation new service <name> --with <part>,…`).
// A part's index.ts exports its settings (a zod shape, merged into src/config.ts) and a start function
// returning a StartedPart; src/kit/index.ts starts the chosen parts in order and stops them in reverse.
import type { FastifyInstance } from 'fastify';
import type { Registry } from '@prometheus-io/client';
import type { Logger } from 'pino';
import type { CheckResult } from '../app.js';

/** What every part is started with, besides its own settings. */
export interface PartDeps {
  readonly serviceName: string;
  readonly logger: Logger;
  /** Where the part registers its metrics (names prefixed by the part: db_, cache_, http_client_, grpc_). */
  readonly registry: Registry;
}

/** A part's readiness check: ready or not, and why not (shown in /readyz's `reasons`). */
export interface PartReadiness {
  readonly name: string;
  check(): Promise<CheckResult>;
}

/** A started part: the handle the service's code uses, and how the app checks, wires and stops it. */
export interface StartedPart<Handle> {
  readonly handle: Handle;
  /** Joins /readyz; must answer within a second (the probe gives up after one). */
  readonly readiness?: PartReadiness;
  /** Hooks on the HTTP app (auth's JWT hook), added before the service's routes. */
  register?(app: FastifyInstance): void | Promise<void>;
  /** Release connections and servers; called once, after HTTP has drained, in reverse start order. */
  close(): Promise<void>;
}
