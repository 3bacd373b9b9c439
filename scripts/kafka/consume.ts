// scripts/kafka-consume-test: consume until --count messages arrived or --timeout passed, and say so.
//   --topic <name> (required)  --count <n> (default 1000)  --timeout <seconds> (default 30)
//   --group <id> (default: a new group, reading from the beginning)  --brokers <list>
// Exit 0 when all arrived, 3 when the time ran out first (with how many did).
import { randomUUID } from 'node:crypto';
import { Consumer, MessagesStreamModes, stringDeserializers } from '@platformatic/kafka';
import { kafkaMessage } from '../../lib/adapters/kafka-errors.js';
import { boundedInt, brokersFrom, fail, scriptArgs } from './args.js';

const HELP = `Usage: scripts/kafka-consume-test --topic <name> [--count N] [--timeout S] [--group ID] [--brokers LIST]

Consumes until --count messages arrived (default 1000) or --timeout seconds passed (default 30), and says so.
  --group <id>      a consumer group (default: a new one, reading from the beginning)
  --brokers <list>  host:port[,…] (default: KAFKA_BROKERS from the environment or .env)
Exit: 0 all arrived, 2 bad usage, 3 the time ran out first (with how many did), 4 the broker failed.`;

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
if (!values.topic) fail('--topic is required, e.g. --topic orders.placed');
const topic = values.topic;
const count = boundedInt('--count', values.count, 1, 1_000_000);
const timeoutMs = boundedInt('--timeout', values.timeout, 1, 3_600) * 1_000;
const brokers = brokersFrom(values.brokers);
const group = values.group ?? `kafka-consume-test-${randomUUID()}`;
const consumer = new Consumer({
  clientId: 'kafka-consume-test',
  bootstrapBrokers: brokers,
  groupId: group,
  deserializers: stringDeserializers,
});
const started = performance.now();
const seen = { received: 0, first: '-', last: '-' };
try {
  // The group's committed offset, or the beginning for a group without one.
  const stream = await consumer.consume({
    topics: [topic],
    mode: MessagesStreamModes.COMMITTED,
    fallbackMode: MessagesStreamModes.EARLIEST,
    autocommit: true,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, timeoutMs);
    stream.on('error', (error: unknown) => {
      clearTimeout(timer);
      reject(error instanceof Error ? error : new Error(String(error)));
    });
    stream.on('data', (message: { partition: number; offset: bigint }) => {
      seen.received += 1;
      if (seen.first === '-') seen.first = `${message.partition}:${message.offset}`;
      seen.last = `${message.partition}:${message.offset}`;
      if (seen.received >= count) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
} catch (error) {
  fail(`consuming ${topic} at ${brokers.join(',')} failed: ${kafkaMessage(error)}`, 4);
} finally {
  await consumer.close(true);
}
const ms = Math.round(performance.now() - started);
process.stdout.write(
  `consumed ${seen.received} of ${count} messages from ${topic} (group ${group}) in ${ms} ms; first ${seen.first}, last ${seen.last}\n`,
);
process.exitCode = seen.received >= count ? 0 : 3;
