// The producer side's view of the broker, shared by both adapters: up, down (since when, why) or not yet
// known. Down, publishes fail at once and a watcher probes the broker with capped, jittered back-off until
// it answers; readiness reports the state with its reason.
import type { Logger } from 'pino';
import { backoffDelayMs, pause, type Backoff } from './backoff.js';
import type { BusReadiness } from './event-bus.js';
import { BrokerUnavailableError, describeError, withDeadline } from './unavailable.js';

export interface LinkOptions {
  /** One cheap request to the broker (metadata); rejects when it cannot be reached. */
  readonly probe: () => Promise<void>;
  readonly backoff: Backoff;
  /** The most a publish waits for the broker's acknowledgement before it fails. */
  readonly publishTimeoutMs: number;
  readonly logger: Logger;
}

export interface BrokerLink {
  /** Readiness: a live probe unless the broker is known to be down (then the state and its reason). */
  check(): Promise<BusReadiness>;
  /** Run a send within the publish timeout; fails fast with BrokerUnavailableError while down. */
  send(work: (signal: AbortSignal) => Promise<void>): Promise<void>;
  /** Stop watching (the bus closes). */
  close(): void;
}

const PROBE_DEADLINE_MS = 2_000;

export function createBrokerLink(options: LinkOptions): BrokerLink {
  let state: 'unknown' | 'up' | 'down' = 'unknown';
  let since = new Date();
  let lastError = '';
  let watching = false;
  const closing = new AbortController();
  const retryAfterSeconds = Math.max(1, Math.ceil(options.backoff.capMs / 1_000));
  const reason = (): string => `broker unreachable since ${since.toISOString()}: ${lastError}`;

  const probe = (): Promise<void> =>
    withDeadline(options.probe(), PROBE_DEADLINE_MS, () => new Error('the broker did not answer in 2 s'));

  const up = (): void => {
    if (state === 'down')
      options.logger.info({ downMs: Date.now() - since.getTime() }, 'kafka broker reachable again');
    state = 'up';
  };

  const watch = async (): Promise<void> => {
    watching = true;
    for (let attempt = 0; state === 'down' && !closing.signal.aborted; attempt++) {
      if (!(await pause(backoffDelayMs(attempt, options.backoff), closing.signal))) break;
      try {
        await probe();
        up();
      } catch (error) {
        lastError = describeError(error);
      }
    }
    watching = false;
  };

  const down = (error: unknown): void => {
    lastError = describeError(error);
    if (state !== 'down') {
      state = 'down';
      since = new Date();
      options.logger.warn({ reason: lastError }, 'kafka broker unreachable: reconnecting with back-off');
    }
    if (!watching && !closing.signal.aborted) void watch();
  };

  const unavailable = (message: string, cause?: unknown): BrokerUnavailableError =>
    new BrokerUnavailableError(message, retryAfterSeconds, { cause });

  return {
    async check() {
      if (state === 'down') return { ready: false, reason: reason() };
      try {
        await probe();
        up();
        return { ready: true };
      } catch (error) {
        down(error);
        return { ready: false, reason: reason() };
      }
    },

    async send(work) {
      if (state === 'down') throw unavailable(`Kafka is unavailable: ${reason()}`);
      const abandon = new AbortController();
      try {
        await withDeadline(work(abandon.signal), options.publishTimeoutMs, () => {
          abandon.abort();
          return unavailable(`Kafka did not acknowledge the event within ${options.publishTimeoutMs} ms`);
        });
        up();
      } catch (error) {
        down(error);
        throw error instanceof BrokerUnavailableError
          ? error
          : unavailable(`Kafka refused or lost the event: ${describeError(error)}`, error);
      }
    },

    close() {
      closing.abort();
    },
  };
}
