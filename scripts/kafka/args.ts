import { parseBrokers } from '../../lib/config/brokers.js';
import { loadConfig } from '../../lib/config/load.js';
import { FoundationError, formatError } from '../../lib/errors.js';

export { fail, scriptArgs } from '../args.js';
import { fail } from '../args.js';

/** A whole-number flag within bounds, or a usage error naming it. */
export function boundedInt(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * The brokers to use: `--brokers` when given, else KAFKA_BROKERS from the environment or the workspace's
 * .env (the same loader and checks as `foundation`). A malformed list is a usage error (exit 2) naming the
 * setting, never a connection failure; the value itself is not echoed.
 */
export function brokersFrom(flag: string | undefined): string[] {
  if (flag !== undefined) {
    const parsed = parseBrokers(flag);
    if (!parsed.ok)
      fail(
        `E_USAGE: --brokers is not a list of host:port addresses: ${parsed.problems.join('; ')}\n  fix: pass --brokers host:port[,host:port…], e.g. --brokers localhost:19092`,
      );
    return [...parsed.brokers];
  }
  try {
    return [...loadConfig({ workspace: process.cwd(), env: process.env }).config.kafkaBrokers];
  } catch (error) {
    if (error instanceof FoundationError) fail(formatError(error.toInfo()), error.exitCode);
    throw error;
  }
}
