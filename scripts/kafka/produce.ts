// scripts/kafka-produce-test: produce a bounded number of test messages and say what happened.
//   --topic <name> (required)  --count <n> (default 1000, at most 1,000,000)  --size <bytes> (default 1024)
//   --brokers <list> (default: KAFKA_BROKERS from the environment or .env, then localhost:19092)
// Each message's value is JSON {seq, sentAt, pad}; acks=all, idempotent producer.
import { Producer, ProduceAcks, stringSerializers } from '@platformatic/kafka';
import { kafkaMessage } from '../../lib/adapters/kafka-errors.js';
import { boundedInt, brokersFrom, fail, scriptArgs } from './args.js';

const HELP = `Usage: scripts/kafka-produce-test --topic <name> [--count N] [--size BYTES] [--brokers LIST]

Produces --count test messages (default 1000, at most 1,000,000) of --size bytes (default 1024), acks=all,
idempotent, and says how fast. Each value is JSON {seq, sentAt, pad}.
  --brokers <list>  host:port[,…] (default: KAFKA_BROKERS from the environment or .env)
Exit: 0 produced, 2 bad usage, 4 the broker failed.`;

const { values } = scriptArgs(
  {
    options: {
      topic: { type: 'string' },
      count: { type: 'string', default: '1000' },
      size: { type: 'string', default: '1024' },
      brokers: { type: 'string' },
    },
  },
  HELP,
);
if (!values.topic) fail('--topic is required, e.g. --topic orders.placed');
const count = boundedInt('--count', values.count, 1, 1_000_000);
const size = boundedInt('--size', values.size, 16, 1_048_576);
const brokers = brokersFrom(values.brokers);
const producer = new Producer({
  clientId: 'kafka-produce-test',
  bootstrapBrokers: brokers,
  serializers: stringSerializers,
  idempotent: true,
  acks: ProduceAcks.ALL,
  autocreateTopics: true, // as before: a topic that is not there yet is made on first use (where the broker allows)
});
const topic = values.topic;
const started = performance.now();
try {
  const pad = 'x'.repeat(Math.max(0, size - 48));
  for (let from = 0; from < count; from += 500) {
    const batch = Array.from({ length: Math.min(500, count - from) }, (_, i) => ({
      topic,
      key: String((from + i) % 64),
      value: JSON.stringify({ seq: from + i, sentAt: Date.now(), pad }),
    }));
    await producer.send({ messages: batch });
  }
  const ms = performance.now() - started;
  process.stdout.write(
    `produced ${count} messages of ${size} bytes to ${topic} at ${brokers.join(',')} in ${Math.round(ms)} ms (${Math.round((count / ms) * 1000)} msg/s, acks=all)\n`,
  );
} catch (error) {
  fail(`producing to ${topic} at ${brokers.join(',')} failed: ${kafkaMessage(error)}`, 4);
} finally {
  await producer.close();
}
