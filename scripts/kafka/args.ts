import { parseBrokers } from '../../lib/config/brokers.js';
import { parseDuration, type DurationRule } from '../../lib/config/duration.js';
import { kafkaMessage, refusal } from '../../lib/adapters/kafka-errors.js';
import { FoundationError } from '../../lib/errors.js';
import { topicNameProblem } from '../../lib/kafka/topics-file.js';
import { scriptConfig } from '../script-config.js';
import { boundedInt } from '../args.js';
import { whileListening } from '../interrupt.js';

export { boundedInt, scriptArgs } from '../args.js';
export { parseDuration } from '../../lib/config/duration.js';

/** Each Kafka script's --timeout: 1 s to 1 h, a bare number of seconds. */
export const KAFKA_TIMEOUT: DurationRule = { bare: 's', minMs: 1_000, maxMs: 3_600_000, example: '30s' };

/** What both test scripts are told: the topic (required), how many messages, how long, which brokers. */
export function testRun(values: {
  readonly topic?: string | undefined;
  readonly count: string;
  readonly timeout: string;
  readonly brokers?: string | undefined;
}): { topic: string; count: number; timeoutMs: number; brokers: string[] } {
  const brokers = brokersFrom(values.brokers); // first: it sets up the masking of .env's secrets
  if (!values.topic)
    throw new FoundationError('E_USAGE', '--topic is required', 'e.g. --topic orders.placed');
  const problem = topicNameProblem(values.topic);
  if (problem !== null)
    throw new FoundationError(
      'E_USAGE',
      `--topic ${JSON.stringify(values.topic.slice(0, 60))} is not a Kafka topic name: ${problem}`,
      'pass a name as the topics file has them, e.g. --topic orders.placed',
    );
  return {
    topic: values.topic,
    count: boundedInt('--count', values.count, 1, 1_000_000),
    timeoutMs: parseDuration('--timeout', values.timeout, KAFKA_TIMEOUT),
    brokers,
  };
}

/** "1 message", "2 messages". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The brokers to use: `--brokers` when given, else KAFKA_BROKERS from the environment or the workspace's
 * .env (the same loader and checks as `foundation`). A malformed list is a usage error (exit 2) naming the
 * setting, never a connection failure; the value itself is not echoed.
 */
export function brokersFrom(flag: string | undefined): string[] {
  // Read in any case: the secrets of the workspace's .env are masked in all the script prints (a topic
  // named like a password, an error quoting a setting), as foundation masks them. With --brokers a .env
  // that cannot be read is no reason to stop (it was not needed before either).
  if (flag === undefined) return [...scriptConfig(undefined).loaded.config.kafkaBrokers];
  try {
    scriptConfig(undefined);
  } catch {
    // nothing of .env to mask, then
  }
  const parsed = parseBrokers(flag);
  if (!parsed.ok)
    throw new FoundationError(
      'E_USAGE',
      `--brokers is not a list of host:port addresses: ${parsed.problems.join('; ')}`,
      'pass --brokers host:port[,host:port…], e.g. --brokers localhost:19092',
    );
  return [...parsed.brokers];
}

/**
 * Run `work` until it is done, at most `timeoutMs` (null: no limit of its own, the work bounds itself),
 * and no longer than the user wants: on SIGINT or SIGTERM it stops with E_CANCELLED (exit 130), past the
 * time with E_WAIT_TIMEOUT (exit 4) saying `saidMs` (the user's --timeout, when part of it went before).
 * `work` is given a signal that fires in both cases, to stop between steps; what it did so far is its own
 * to say.
 */
export async function untilDone(
  timeoutMs: number | null,
  work: (signal: AbortSignal) => Promise<void>,
  saidMs: number | null = timeoutMs,
): Promise<void> {
  await whileListening(async (interrupted) => {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const stopped = new Promise<never>((_, reject) => {
      if (timeoutMs !== null)
        timer = setTimeout(() => {
          controller.abort();
          reject(
            new FoundationError(
              'E_WAIT_TIMEOUT',
              `not done within ${(saidMs ?? timeoutMs) / 1_000} s`,
              'is the broker up and reachable? (foundation status, scripts/infra-status); or allow longer with --timeout',
            ),
          );
        }, timeoutMs);
      const onInterrupt = (): void => {
        controller.abort();
        reject(new FoundationError('E_CANCELLED', `interrupted (${String(interrupted.reason)})`));
      };
      interrupted.addEventListener('abort', onInterrupt, { once: true });
    });
    try {
      await Promise.race([work(controller.signal), stopped]);
    } finally {
      clearTimeout(timer);
    }
  });
}

/**
 * A failure talking to the broker as what to print, `doing` saying what, `so` how far it got and `check`
 * what the user gave that a refusal is about (`--topic and --size`): the
 * broker refusing the request (E_KAFKA_REFUSED, exit 2: asking again will not help) or not answering as
 * it should (E_KAFKA_UNREACHABLE, exit 4). Our own errors (time out, Ctrl+C) keep their code.
 */
export function brokerFailure(error: unknown, doing: string, so: string, check: string): FoundationError {
  const tail = so === '' ? '' : ` (${so})`;
  if (error instanceof FoundationError)
    return new FoundationError(error.code, `${doing}: ${error.message}${tail}`, error.fix);
  const refused = refusal(error);
  if (refused !== null)
    return new FoundationError(
      'E_KAFKA_REFUSED',
      `${doing}: the broker refused it: ${kafkaMessage(error)}${tail}`,
      refused.kind === 'forbidden'
        ? 'the broker requires a permission this client lacks: grant it (ACLs), or use a topic and group it may use'
        : `check ${check} against the broker’s rules and limits, then run again`,
    );
  return new FoundationError(
    'E_KAFKA_UNREACHABLE',
    `${doing} failed: ${kafkaMessage(error)}${tail}`,
    'start the broker (foundation run 0-3), or point --brokers / KAFKA_BROKERS at one',
  );
}
