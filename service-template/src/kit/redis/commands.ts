// One Redis command, bounded and observed: refused at once while the connection is down, given up after
// the command timeout, timed into cache_command_duration_seconds, traced as a CLIENT span per the OTel
// database conventions, and reported to the outage state. The callers (cache.ts) turn a failure into a miss,
// a dropped write or a call to the loader; nothing here reaches a route.
import { SpanKind, SpanStatusCode, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { ErrorReply } from 'redis';
import { DeadlineQueue } from './deadlines.js';
import type { CacheMetrics, RedisCommand } from './metrics.js';
import type { OutageState } from './outage.js';

/** The command did not answer within CACHE_COMMAND_TIMEOUT_MS (Redis slow or unreachable without a reset). */
export class CacheTimeoutError extends Error {
  override readonly name = 'CacheTimeoutError';
}

/** The connection is down (reconnecting): the command was not sent. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

export interface CommandRunner {
  /** Runs `send` (one command) within the timeout; rejects with its error, a timeout or unavailability. */
  run<T>(command: RedisCommand, send: () => Promise<T>): Promise<T>;
}

export interface RunnerOptions {
  readonly connection: { readonly isReady: boolean };
  readonly timeoutMs: number;
  readonly metrics: CacheMetrics;
  readonly outage: OutageState;
  readonly tracer: Tracer;
  /** server.address, server.port, db.namespace: the same on every span. */
  readonly server: Attributes;
  /** An error reply from a live server (not an outage): logged at most once a minute by the caller. */
  readonly onErrorReply: (error: Error) => void;
}

const COMMANDS: readonly RedisCommand[] = ['GET', 'SET', 'DEL', 'PING'];

/** A Redis error reply's status is its first word (WRONGTYPE, OOM, NOAUTH…): db.response.status_code. */
function replyStatus(error: Error): string | undefined {
  if (!(error instanceof ErrorReply)) return undefined;
  return /^[A-Z]+/.exec(error.message)?.[0] ?? 'ERR';
}

export function commandRunner(options: RunnerOptions): CommandRunner {
  const { connection, timeoutMs, metrics, outage, tracer } = options;
  const replyErrors = options.onErrorReply;
  // Attributes per command, built once: db.system.name, db.operation.name and the server's. Never the key
  // nor the value (keys may carry user ids or emails; see docs/redis.md).
  const attributes = {} as Record<RedisCommand, Attributes>;
  for (const c of COMMANDS) {
    attributes[c] = { 'db.system.name': 'redis', 'db.operation.name': c, ...options.server };
  }
  const unavailable = new RedisUnavailableError('redis is not connected (reconnecting)');
  const timeout = new CacheTimeoutError(`redis did not answer within ${String(timeoutMs)} ms`);

  const deadlines = new DeadlineQueue(timeoutMs);

  const failed = (span: Span, error: unknown): Error => {
    const e = error instanceof Error ? error : new Error(String(error));
    const status = replyStatus(e);
    if (span.isRecording()) {
      span.setAttribute('error.type', status ?? e.name);
      if (status) span.setAttribute('db.response.status_code', status);
      span.setStatus({ code: SpanStatusCode.ERROR, message: e.name });
    }
    // An error reply (WRONGTYPE, OOM…) comes from a live server: not an outage, but counted by the caller.
    if (status === undefined) outage.failed(e);
    else replyErrors(e);
    return e;
  };

  return {
    // Not async, and one promise per command: this is every cache call's hot path.
    run<T>(command: RedisCommand, send: () => Promise<T>): Promise<T> {
      if (!connection.isReady) {
        outage.failed(unavailable);
        return Promise.reject(unavailable);
      }
      const span = tracer.startSpan(command, { kind: SpanKind.CLIENT, attributes: attributes[command] });
      const started = performance.now();
      return new Promise<T>((resolve, reject) => {
        const finish = (): void => {
          span.end();
          metrics.commandSeconds[command].observe((performance.now() - started) / 1_000);
        };
        // The command itself is not cancelled: its late answer is read and dropped by node-redis.
        const deadline = deadlines.add(started, () => {
          finish();
          reject(failed(span, timeout));
        });
        let sent: Promise<T>;
        try {
          sent = send();
        } catch (error) {
          sent = Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
        sent.then(
          (value) => {
            if (deadline.settled) return;
            deadlines.settle(deadline);
            finish();
            if (!outage.up) outage.recovered();
            resolve(value);
          },
          (error: unknown) => {
            if (deadline.settled) return;
            deadlines.settle(deadline);
            const e = failed(span, error);
            finish();
            reject(e);
          },
        );
      });
    },
  };
}
