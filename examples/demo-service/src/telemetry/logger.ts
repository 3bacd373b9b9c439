import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';
import { censorSecrets, isoTimestamp } from './log-fields.js';

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface LoggerOptions {
  readonly name: string;
  readonly level?: Level;
  /** Secret values masked in every line, wherever they appear (message, fields, errors). */
  readonly secrets?: readonly string[];
  readonly base?: Readonly<Record<string, string>>;
  readonly destination?: DestinationStream;
}

/** `trace_id` / `span_id` of the active span, so a log line can be found from its trace and back. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  if (context === undefined || context.traceId === '00000000000000000000000000000000') return {};
  return { trace_id: context.traceId, span_id: context.spanId };
}

/** pino hooks masking these values in each written line (none when there is nothing to mask). */
function masking(secrets: readonly string[]): { streamWrite?: (line: string) => string } {
  const needles = [...new Set(secrets.filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length);
  if (needles.length === 0) return {};
  return {
    streamWrite: (line) =>
      needles.reduce((out, s) => (out.includes(s) ? out.split(s).join('***') : out), line),
  };
}

/**
 * A JSON logger (pino 10): level from config; secret values masked in the written line and secret-named
 * fields (password, token, authorization, cookie, … at any depth) censored; the active span's ids on every
 * line through a mixin (no module patching, so it works under ESM and CJS alike).
 *
 * Censoring is a `formatters.log` walk (lib/telemetry/log-fields.ts) rather than pino's `redact` paths:
 * paths cannot say "this name at any depth" (`*.password` misses a top-level `password`), and the walk
 * copies nothing when a line has no secret field — the common case, an access-log line.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      base: { service: options.name, ...options.base },
      messageKey: 'msg',
      timestamp: isoTimestamp(),
      formatters: { level: (label) => ({ level: label }), log: censorSecrets },
      mixin: traceFields,
      hooks: masking(options.secrets ?? []),
    },
    // Default: stdout, written asynchronously (lines queued in a burst go out in one write) but without
    // holding them back, so a log shipper sees them at once. Call logger.flush() before exiting, as the
    // template's shutdown does.
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
