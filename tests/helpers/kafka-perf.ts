import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Kafka's own kafka-producer-perf-test (org.apache.kafka.tools.ProducerPerformance) from the test
 * broker's jars: flat out, acks=all, idempotent. Returns its output (the last line is the summary).
 */
export function producerPerfTest(o: {
  libs: string;
  brokers: string;
  topic: string;
  records: number;
  size: number;
}): string {
  return execFileSync(
    'java',
    [
      '-cp',
      join(o.libs, '*'),
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      o.topic,
      '--num-records',
      String(o.records),
      '--record-size',
      String(o.size),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${o.brokers}`,
      'acks=all',
      'enable.idempotence=true',
    ],
    { encoding: 'utf8' },
  );
}

/** Records per second from the summary line. */
export function perfRate(output: string): number {
  return Number(/records sent, ([\d.]+) records\/sec/.exec(output.trim().split('\n').at(-1) ?? '')?.[1] ?? 0);
}
