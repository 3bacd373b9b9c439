// scripts/kafka-consume-test: consume until --count messages arrived or --timeout passed, and say so.
//   --topic <name> (required)  --count <n> (default 1000)  --timeout <d> (30s, 2m, or seconds; default 30)
//   --group <id> (default: a new group, reading from the beginning)  --brokers <list>
// Exit: see HELP.
import { randomUUID } from 'node:crypto';
import { Consumer, MessagesStreamModes, stringDeserializers, type Message } from '@platformatic/kafka';
import { kafkaErrorNames, kafkaMessage } from '../../lib/adapters/kafka-errors.js';
import { FoundationError } from '../../lib/errors.js';
import { runScript, say, useJson } from '../run-script.js';
import { brokerFailure, plural, scriptArgs, testRun, untilDone } from './args.js';
import { orLate } from '../../lib/wait/or-late.js';
import { askBroker } from './reach.js';
import { Tally } from './tally.js';

const HELP = `Usage: scripts/kafka-consume-test --topic <name> [--count N] [--timeout D] [--group ID] [--brokers LIST] [--json]

Consumes until --count messages arrived (default 1000) or --timeout passed (30s, 2m, or a bare number of
seconds; default 30, joining the group included), and says so. It commits the offsets of the messages it counted and no further, so a
named --group picks up the rest next time (at-least-once).
  --group <id>      a consumer group (default: a new one, reading from the beginning)
  --brokers <list>  host:port[,…] (default: KAFKA_BROKERS from the environment or .env)
  --json            the count as one JSON line ({"v":1,"type":"kafka-consume",…}; an error as type "error")
Exit: 0 all arrived, 2 bad usage, no such topic or the broker refused (a group id or permission), 3 the
time ran out after joining the group (with how many arrived), 4 the broker failed or the group was not
joined in time, 130 interrupted (Ctrl+C or SIGTERM; what arrived until then is said and committed).`;

async function main(): Promise<number> {
  const { values } = scriptArgs(
    {
      options: {
        topic: { type: 'string' },
        count: { type: 'string', default: '1000' },
        timeout: { type: 'string', default: '30' },
        group: { type: 'string' },
        brokers: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    },
    HELP,
  );
  useJson(values.json);
  const { topic, count, timeoutMs, brokers } = testRun(values);
  const deadline = performance.now() + timeoutMs;
  const group = values.group ?? `kafka-consume-test-${randomUUID()}`;
  if (!/^\S+$/.test(group))
    throw new FoundationError(
      'E_USAGE',
      `--group ${JSON.stringify(group.slice(0, 40))} is not a group id: it is empty or has a space`,
      'pass --group <id> without spaces, or leave it out for a new group',
    );
  // Before joining a group, which retries a broker that is away or a topic that is not there in silence
  // until the time runs out: no answer is E_KAFKA_UNREACHABLE (exit 4), no such topic E_USAGE, at once.
  if (!(await askBroker(brokers, 'kafka-consume-test', timeoutMs)).includes(topic))
    throw new FoundationError(
      'E_USAGE',
      `topic ${topic} does not exist at ${brokers.join(',')}`,
      `create it (scripts/kafka-topics-create, or kafka-produce-test --topic ${topic}), or check the name`,
    );
  const consumer = new Consumer({
    clientId: 'kafka-consume-test',
    bootstrapBrokers: brokers,
    groupId: group,
    deserializers: stringDeserializers,
  });
  const started = performance.now();
  const seen = new Tally(count);
  const tell = (): void => {
    const ms = Math.round(performance.now() - started);
    say(
      `consumed ${seen.received} of ${plural(count, 'message')} from ${topic} (group ${group}) in ${ms} ms; first ${seen.first}, last ${seen.last}`,
      'kafka-consume',
      { topic, brokers, group, count, received: seen.received, first: seen.first, last: seen.last, ms },
    );
  };
  let failure: unknown = null; // what ended the run before --count arrived
  const membership = { joined: false };
  try {
    await untilDone(Math.max(1, Math.round(deadline - performance.now())), async (signal) => {
      // The group's committed offset, or the beginning for a group without one.
      const stream = await consumer.consume({
        topics: [topic],
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: MessagesStreamModes.EARLIEST,
        autocommit: false,
      });
      if (signal.aborted) {
        // Joined just as the time ran out: too late, nothing is counted.
        stream.pause();
        return;
      }
      membership.joined = true;
      await new Promise<void>((resolve, reject) => {
        signal.addEventListener(
          'abort',
          () => {
            seen.stop();
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
          if (seen.take(message) && seen.done) {
            stream.pause();
            resolve();
          }
        });
      });
    });
  } catch (error) {
    failure = error;
  } finally {
    seen.stop();
  }
  const commitError = await settle(consumer, seen);
  const where = `${topic} at ${brokers.join(',')}`;
  const timedOut = failure instanceof FoundationError && failure.code === 'E_WAIT_TIMEOUT';
  if (timedOut && !membership.joined)
    throw new FoundationError(
      'E_WAIT_TIMEOUT',
      `consuming ${where}: not in group ${group} within ${timeoutMs / 1_000} s`,
      'is the broker up? (foundation status); a member of this group that was killed keeps its partitions until its session times out (45 s): wait, or pass another --group',
    );
  const commitFailed =
    commitError === undefined
      ? null
      : `committing the offsets of group ${group} failed: ${kafkaMessage(commitError)}; the next run of this group may read some of these messages again (at-least-once)`;
  const failed = (failure !== null && !timedOut) || commitFailed !== null;
  // With --json stdout holds one line: the count, or the error (which says the count).
  if (!(failed && values.json)) tell();
  const so = `${seen.received} of ${count} received`;
  if (failure !== null && !timedOut) {
    const error = kafkaErrorNames(failure).has('UNKNOWN_TOPIC_OR_PARTITION')
      ? new FoundationError(
          'E_USAGE',
          `topic ${topic} does not exist at ${brokers.join(',')}`,
          `create it (scripts/kafka-topics-create, or kafka-produce-test --topic ${topic}), or check the name`,
        )
      : brokerFailure(failure, `consuming ${where}`, so, '--topic and --group');
    // Interrupted or failed, a failed commit is said too: never lost behind the first error.
    if (commitFailed === null) throw error;
    throw new FoundationError(error.code, `${error.message}; and ${commitFailed}`, error.fix);
  }
  if (commitFailed !== null)
    throw new FoundationError(
      'E_KAFKA_UNREACHABLE',
      `${commitFailed} (${so})`,
      'check the broker (foundation status), then run again',
    );
  return !timedOut && seen.done ? 0 : 3;
}

/**
 * Commit what was counted, then leave the group (so a next run does not wait for this member to time out);
 * each bounded. The first failed commit, if any.
 */
async function settle(consumer: Consumer<string, string, string, string>, seen: Tally): Promise<unknown> {
  // Not confirmed in time is no success: said as a failed commit.
  const commitError = await orLate(
    seen.committed(),
    5_000,
    new Error('the broker did not confirm the commits within 5 s'),
  );
  await orLate(
    consumer.close(true).catch(() => undefined),
    5_000,
    undefined,
  );
  return commitError;
}

await runScript('kafka-consume-test', main);
