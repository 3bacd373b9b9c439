// Readiness: SELECT 1 over a one-connection pool of its own, so a busy main pool (every connection lent)
// does not make the service look down, and a dead connection is dropped and the next check reconnects:
// not ready (and why) while the database is unreachable, ready again once it is back, without restarting
// anything.
import pg from 'pg';
import type { CheckResult } from '../../app.js';
import { classify, redact } from './errors.js';

export interface Probe {
  check(): Promise<CheckResult>;
  close(): Promise<void>;
}

export interface ProbeOptions {
  readonly url: string;
  readonly applicationName: string;
  /** The most a check takes; under the app's one-second probe budget. */
  readonly timeoutMs: number;
}

export function createProbe(options: ProbeOptions): Probe {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: 1,
    connectionTimeoutMillis: options.timeoutMs,
    statement_timeout: options.timeoutMs,
    idleTimeoutMillis: 60_000,
    keepAlive: true,
    application_name: `${options.applicationName}-readiness`,
  });
  pool.on('error', () => undefined); // an idle connection that dies is removed by the pool; the next check reconnects
  const reason = (error: unknown): string => {
    const classified = classify(error, options.timeoutMs);
    if (classified !== null) return classified.message;
    return redact(error instanceof Error ? error.message : String(error), options.url);
  };
  return {
    check() {
      // A plain timer, cleared when the answer comes (aborting a sleep made an AbortError every check).
      return new Promise<CheckResult>((resolve) => {
        const late = setTimeout(
          () => resolve({ ready: false, reason: `no answer within ${options.timeoutMs} ms` }),
          options.timeoutMs,
        );
        const failed = (error: unknown) => {
          clearTimeout(late);
          resolve({ ready: false, reason: reason(error) });
        };
        try {
          pool.query('SELECT 1').then(() => {
            clearTimeout(late);
            resolve({ ready: true });
          }, failed);
        } catch (error) {
          failed(error); // pg throws at once for some bad settings (an sslrootcert file that is missing)
        }
      });
    },
    close: () => pool.end(),
  };
}
