// scripts/kafka-consume-test: consume until --count messages arrived or --timeout passed, and say so.
//   --topic <name> (required)  --count <n> (default 1000)  --timeout <seconds> (default 30)
//   --group <id> (default: a new group, reading from the beginning)  --brokers <list>
// Exit 0 all arrived, 2 bad usage or no such topic, 3 the time ran out first (with how many did), 4 the
// broker failed or the group could not be joined in time, 130 interrupted.
import { randomUUID } from 'node:crypto';
import { Consumer, MessagesStreamModes, stringDeserializers, type Message } from '@platformatic/kafka';
import { kafkaErrorNames, kafkaMessage } from '../../lib/adapters/kafka-errors.js';
import { FoundationError } from '../../lib/errors.js';
import { runScript } from '../run-script.js';
import { plural, scriptArgs, testRun, untilDone } from './args.js';

const HELP = `Usage: scripts/kafka-consume-test --topic <name> [--count N] [--timeout S] [--group ID] [--brokers LIST]

Consumes until --count messages arrived (default 1000) or --timeout seconds passed (default 30, joining
the group included), and says so. It commits the offsets of the messages it counted and no further, so a
named --group picks up the rest next time (at-least-once).
  --group <id>      a consumer group (default: a new one, reading from the beginning)
  --brokers <list>  host:port[,…] (default: KAFKA_BROKERS from the environment or .env)
Exit: 0 all arrived, 2 bad usage or no such topic, 3 the time ran out first (with how many did), 4 the broker failed,
130 interrupted (Ctrl+C or SIGTERM; what arrived until then is said and committed).`;

interface Seen {
  received: number;
  first: string;
  last: string;
  /** Set once the run ends (all arrived, timed out, interrupted): later messages are not counted. */
  stopped: boolean;
  readonly commits: Promise<void>[];
  commitError?: unknown;
}

async function main(): Promise<number> {
  const { values } = scriptArgs(
    {
      options: {
        topic: { type: 'string' },
        count: { type: 'string', default: '1000' },
        timeout: { type: 'string', default: '30' },
        group: { type: 'string' },
        brokers: { type: 'string' },
      },
    },
    HELP,
  );
  const { topic, count, timeoutMs, brokers } = testRun(values);
  const group = values.group ?? `kafka-consume-test-${randomUUID()}`;
  const consumer = new Consumer({
    clientId: 'kafka-consume-test',
    bootstrapBrokers: brokers,
    groupId: group,
    deserializers: stringDeserializers,
  });
  const started = performance.now();
  const seen: Seen = { received: 0, first: '-', last: '-', stopped: false, commits: [] };
  const say = (): void => {
    const ms = Math.round(performance.now() - started);
    process.stdout.write(
      `consumed ${seen.received} of ${plural(count, 'message')} from ${topic} (group ${group}) in ${ms} ms; first ${seen.first}, last ${seen.last}\n`,
    );
  };
  let outcome: 'all' | 'timeout' = 'all';
  const membership = { joined: false };
  try {
    await untilDone(timeoutMs, async (signal) => {
      // The group's committed offset, or the beginning for a group without one.
      const stream = await consumer.consume({
        topics: [topic],
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: MessagesStreamModes.EARLIEST,
        autocommit: false,
      });
      membership.joined = true;
      await new Promise<void>((resolve, reject) => {
        signal.addEventListener(
          'abort',
          () => {
            seen.stopped = true;
            stream.pause();
            resolve();
          },
          { once: true },
        );
        stream.on('error', (error: unknown) => {
          reject(error instanceof Error ? error : new Error(String(error)));
        });
        stream.on('data', (message: Message<string, string, string, string>) => {
          // Fetched with the last batch, or after the end: left for the group's next reader.
          if (seen.stopped || seen.received >= count) return;
          seen.received += 1;
          if (seen.first === '-') seen.first = `${message.partition}:${message.offset}`;
          seen.last = `${message.partition}:${message.offset}`;
          // Handled at once: a failed commit is said at the end, never an unhandled rejection.
          seen.commits.push(
            Promise.resolve(message.commit()).catch((error: unknown) => {
              seen.commitError ??= error;
            }),
          );
          if (seen.received >= count) {
            seen.stopped = true;
            stream.pause();
            resolve();
          }
        });
      });
    });
  } catch (error) {
    if (error instanceof FoundationError && error.code === 'E_WAIT_TIMEOUT' && membership.joined)
      outcome = 'timeout';
    else if (error instanceof FoundationError && error.code === 'E_WAIT_TIMEOUT') {
      await settle(consumer, seen);
      throw new FoundationError(
        'E_WAIT_TIMEOUT',
        `consuming ${topic} at ${brokers.join(',')}: not in group ${group} within ${timeoutMs / 1_000} s`,
        'is the broker up? (foundation status); a member of this group that was killed keeps its partitions until its session times out (45 s): wait, or pass another --group',
      );
    } else {
      await settle(consumer, seen);
      say();
      if (error instanceof FoundationError) throw error;
      if (kafkaErrorNames(error).has('UNKNOWN_TOPIC_OR_PARTITION'))
        throw new FoundationError(
          'E_USAGE',
          `topic ${topic} does not exist at ${brokers.join(',')}`,
          `create it (scripts/kafka-topics-create, or kafka-produce-test --topic ${topic}), or check the name`,
        );
      throw new FoundationError(
        'E_KAFKA_UNREACHABLE',
        `consuming ${topic} at ${brokers.join(',')} failed: ${kafkaMessage(error)}`,
        'start the broker (foundation run 0-3), or point --brokers / KAFKA_BROKERS at one',
      );
    }
  }
  await settle(consumer, seen);
  say();
  if (seen.commitError !== undefined)
    throw new FoundationError(
      'E_KAFKA_UNREACHABLE',
      `committing the offsets of group ${group} failed: ${kafkaMessage(seen.commitError)}; the next run of this group may read some of these messages again (at-least-once)`,
      'check the broker (foundation status), then run again',
    );
  return outcome === 'all' && seen.received >= count ? 0 : 3;
}

/** Commit what was counted, then leave the group (so a next run does not wait for this member to time out). */
async function settle(consumer: Consumer<string, string, string, string>, seen: Seen): Promise<void> {
  const bounded = (p: Promise<unknown>): Promise<unknown> =>
    Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
  await bounded(Promise.all(seen.commits));
  await bounded(consumer.close(true));
}

await runScript('kafka-consume-test', main);
// A client left joining a group on a broker that never answered must not keep the process alive.
process.exit();
