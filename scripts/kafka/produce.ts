// scripts/kafka-produce-test: produce a bounded number of test messages and say what happened.
//   --topic <name> (required)  --count <n> (default 1000, at most 1,000,000)  --size <bytes> (default 1024)
//   --timeout <d> (90s, 2m, or seconds; default 60)  --brokers <list> (default: KAFKA_BROKERS from the environment or .env)
// Each message's value is JSON {seq, sentAt, pad} of exactly --size bytes; acks=all, idempotent producer.
import { Producer, ProduceAcks, stringSerializers } from '@platformatic/kafka';
import { refusal } from '../../lib/adapters/kafka-errors.js';
import { FoundationError } from '../../lib/errors.js';
import { runScript, say, useJson } from '../run-script.js';
import { boundedInt, brokerFailure, plural, scriptArgs, testRun, untilDone } from './args.js';
import { orLate } from '../../lib/wait/or-late.js';
import { askBroker } from './reach.js';

const HELP = `Usage: scripts/kafka-produce-test --topic <name> [--count N] [--size BYTES] [--timeout D] [--brokers LIST] [--json]

Produces --count test messages (default 1000, at most 1,000,000) of --size bytes each (default 1024, from
64 to 1,000,000: the broker's default limit is 1 MiB a batch), acks=all, idempotent, and says how fast.
Each value is JSON {seq, sentAt, pad}. A topic that does not exist is created by the broker if it allows
(with its default partitions): check the name.
  --timeout <d>     the most the run may take (30s, 2m, or a bare number of seconds; default 60): a broker that does not answer fails it then
  --brokers <list>  host:port[,…] (default: KAFKA_BROKERS from the environment or .env)
  --json            the result as one JSON line ({"v":1,"type":"kafka-produce",…}; an error as type "error")
Exit: 0 produced, 2 bad usage or the broker refused (a message too large, a topic name or permission it
does not allow), 4 the broker failed or did not answer in time, 130 interrupted (Ctrl+C or SIGTERM; how many were acknowledged is said).`;

/** The most one send carries: under the broker's default 1 MiB limit on a batch. */
const BATCH_BYTES = 900_000;

/** The JSON value of message `seq`, padded to exactly `size` bytes (ASCII, so characters are bytes). */
function testValue(seq: number, size: number): string {
  const bare = JSON.stringify({ seq, sentAt: Date.now(), pad: '' });
  return JSON.stringify({ seq, sentAt: Date.now(), pad: 'x'.repeat(Math.max(0, size - bare.length)) });
}

async function main(): Promise<number> {
  const { values } = scriptArgs(
    {
      options: {
        topic: { type: 'string' },
        count: { type: 'string', default: '1000' },
        size: { type: 'string', default: '1024' },
        timeout: { type: 'string', default: '60' },
        brokers: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    },
    HELP,
  );
  useJson(values.json);
  const { topic, count, timeoutMs, brokers } = testRun(values);
  const size = boundedInt('--size', values.size, 64, 1_000_000);
  // A broker that is away is said at once (the producer would retry in silence until --timeout); the
  // topic need not exist (the producer creates it). The question's time counts against --timeout.
  const asked = performance.now();
  await askBroker(brokers, 'kafka-produce-test', timeoutMs);
  const left = Math.max(1, timeoutMs - (performance.now() - asked));
  const producer = new Producer({
    clientId: 'kafka-produce-test',
    bootstrapBrokers: brokers,
    serializers: stringSerializers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    autocreateTopics: true,
  });
  const where = `${topic} at ${brokers.join(',')}`;
  const perSend = Math.max(1, Math.min(500, Math.floor(BATCH_BYTES / size)));
  let acked = 0;
  const started = performance.now();
  try {
    await untilDone(
      left,
      async (signal) => {
        for (let from = 0; from < count && !signal.aborted; from += perSend) {
          const batch = Array.from({ length: Math.min(perSend, count - from) }, (_, i) => ({
            topic,
            key: String((from + i) % 64),
            value: testValue(from + i, size),
          }));
          await producer.send({ messages: batch });
          acked += batch.length;
        }
      },
      timeoutMs,
    ); // the message says the user's --timeout, of which the question took some
  } catch (error) {
    const so = `${plural(acked, 'message')} of ${count} acknowledged before it`;
    const refused = refusal(error)?.name;
    if (refused === 'MESSAGE_TOO_LARGE' || refused === 'RECORD_LIST_TOO_LARGE')
      throw new FoundationError(
        'E_KAFKA_REFUSED',
        `producing to ${where}: the broker refused a message of ${size} bytes as too large (${so})`,
        'pass a smaller --size, or raise the topic’s max.message.bytes in the topics file',
      );
    throw brokerFailure(error, `producing to ${where}`, so, '--topic and --size');
  } finally {
    await orLate(
      producer.close(true).catch(() => undefined),
      2_000,
      undefined,
    );
  }
  const ms = Math.round(performance.now() - started);
  const rate = Math.round((count / Math.max(ms, 1)) * 1000);
  say(
    `produced ${plural(count, 'message')} of ${size} bytes to ${where} in ${ms} ms (${rate} msg/s, acks=all)`,
    'kafka-produce',
    { topic, brokers, count, size, acknowledged: acked, ms, messagesPerSec: rate, acks: 'all' },
  );
  return 0;
}

await runScript('kafka-produce-test', main);
