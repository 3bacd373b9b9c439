// scripts/kafka-consume-test: consume until --count messages arrived or --timeout passed, and say so.
//   --topic <name> (required)  --count <n> (default 1000)  --timeout <seconds> (default 30)
//   --group <id> (default: a new group, reading from the beginning)  --brokers <list>
// Exit 0 when all arrived, 3 when the time ran out first (with how many did).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { boundedInt, brokersFrom, fail } from './args.js';

const { values } = parseArgs({
  options: {
    topic: { type: 'string' },
    count: { type: 'string', default: '1000' },
    timeout: { type: 'string', default: '30' },
    group: { type: 'string' },
    brokers: { type: 'string' },
  },
});
if (!values.topic) fail('--topic is required, e.g. --topic orders.placed');
const topic = values.topic;
const count = boundedInt('--count', values.count, 1, 1_000_000);
const timeoutMs = boundedInt('--timeout', values.timeout, 1, 3_600) * 1_000;
const brokers = brokersFrom(values.brokers);
const group = values.group ?? `kafka-consume-test-${randomUUID()}`;
const consumer = new Kafka({ clientId: 'kafka-consume-test', brokers, logLevel: logLevel.ERROR }).consumer({
  groupId: group,
});
const started = performance.now();
const seen = { received: 0, first: '-', last: '-' };
try {
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    void consumer.run({
      eachMessage: ({ partition, message }) => {
        seen.received += 1;
        if (seen.first === '-') seen.first = `${partition}:${message.offset}`;
        seen.last = `${partition}:${message.offset}`;
        if (seen.received >= count) {
          clearTimeout(timer);
          resolve();
        }
        return Promise.resolve();
      },
    });
  });
} catch (error) {
  fail(
    `consuming ${topic} at ${brokers.join(',')} failed: ${error instanceof Error ? error.message : String(error)}`,
    4,
  );
} finally {
  await consumer.disconnect();
}
const ms = Math.round(performance.now() - started);
process.stdout.write(
  `consumed ${seen.received} of ${count} messages from ${topic} (group ${group}) in ${ms} ms; first ${seen.first}, last ${seen.last}\n`,
);
process.exitCode = seen.received >= count ? 0 : 3;
