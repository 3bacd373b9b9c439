import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** Header and field paths that are always censored, wherever they appear in a log line's object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.token',
  '*.secret',
  '*.apiKey',
];

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

function masker(secrets: readonly string[]): (line: string) => string {
  const needles = [...new Set(secrets.filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length);
  return (line) => needles.reduce((out, s) => (out.includes(s) ? out.split(s).join('***') : out), line);
}

/**
 * A JSON logger (pino 10): level from config, secrets and auth/cookie headers redacted, and the active
 * span's ids on every line through a mixin (no module patching, so it works under ESM and CJS alike).
 */
export function createLogger(options: LoggerOptions): Logger {
  const mask = masker(options.secrets ?? []);
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      base: { service: options.name, ...options.base },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: traceFields,
      hooks: { streamWrite: mask },
    },
    // Default: stdout, written asynchronously (lines queued in a burst go out in one write) but without
    // holding them back, so a log shipper sees them at once. Call logger.flush() before exiting, as the
    // template's shutdown does.
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
