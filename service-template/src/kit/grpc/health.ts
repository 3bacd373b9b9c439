// The standard health service (grpc.health.v1.Health/Check), answering from the service's readiness:
// SERVING while it is ready, NOT_SERVING while not (or shutting down). Kubernetes' grpc probes,
// grpc_health_probe and load balancers call it. Watch is not implemented (UNIMPLEMENTED: clients then
// poll Check, as the protocol allows).
import { status as Status } from '@grpc/grpc-js';
import { AppError } from '../../errors.js';
import type { HealthHandlers } from './generated/grpc/health/v1/Health.js';
import { unary } from './handlers.js';

/** A readiness check answers within a second; slower counts as not ready. */
const CHECK_TIMEOUT_MS = 1_000;

export interface HealthState {
  /** What decides SERVING: the service's readiness (every check passing). Default: always ready. */
  setReadiness(check: () => Promise<boolean>): void;
  /** NOT_SERVING from now on, whatever readiness says (on shutdown). */
  stopServing(): void;
  serving(): Promise<boolean>;
}

export function healthState(): HealthState {
  let check: () => Promise<boolean> = () => Promise.resolve(true);
  let stopped = false;
  return {
    setReadiness(next) {
      check = next;
    },
    stopServing() {
      stopped = true;
    },
    async serving() {
      if (stopped) return false;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
      });
      try {
        return await Promise.race([check().catch(() => false), late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Check for the whole server (service "") or one of `services()`; an unknown name is NOT_FOUND. */
export function healthHandlers(state: HealthState, services: () => ReadonlySet<string>): HealthHandlers {
  return {
    Check: unary(async (request) => {
      if (request.service !== '' && !services().has(request.service)) {
        throw new AppError('NOT_FOUND', `no service ${request.service} on this server`);
      }
      return { status: (await state.serving()) ? 'SERVING' : 'NOT_SERVING' };
    }),
    Watch: (call) => {
      call.emit('error', { code: Status.UNIMPLEMENTED, details: 'Watch is not implemented: poll Check' });
    },
  };
}
