// kafkajs' own log entries as the service's warn lines, without the noise of an outage: connection errors
// are left to the broker link, which says an outage once and its end (link.ts), and any other message is
// written at most once a minute, saying how many times it came meanwhile.
import type { Logger } from 'pino';

/** What kafkajs hands a log creator's function (the fields used here). */
export interface KafkajsEntry {
  readonly log: { readonly message?: string; readonly error?: string } & Record<string, unknown>;
}

/** Connection failures, which the broker link reports itself (kafkajs says each once per attempt and broker). */
const CONNECTION =
  /^(Connection error|Connection timeout|Failed to connect to seed broker)|Connection (error|timeout)|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|ETIMEDOUT/;

/** The same message again within this long is counted, not written. */
export const REPEAT_MS = 60_000;

export function kafkajsLog(logger: Logger, now: () => number = Date.now): (entry: KafkajsEntry) => void {
  const last = new Map<string, { at: number; held: number }>();
  return ({ log }) => {
    const message = log.message ?? '';
    if (CONNECTION.test(message) || CONNECTION.test(log.error ?? '')) return;
    const seen = last.get(message);
    if (seen !== undefined && now() - seen.at < REPEAT_MS) {
      seen.held += 1;
      return;
    }
    last.set(message, { at: now(), held: 0 });
    const repeated = seen !== undefined && seen.held > 0 ? { repeated: seen.held } : {};
    logger.warn({ kafka: log, ...repeated }, `kafka: ${message}`);
  };
}
