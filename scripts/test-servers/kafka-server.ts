// The Kafka broker the integration tests run against: one KRaft node (broker and controller), formatted
// at first start and kept for restarts, lean on the CPU unless a benchmark asks for throughput.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_LIBS, KAFKA_VERSION } from './paths.js';
import type { LaunchOptions, ServerDef, ServerPaths } from './servers.js';

const kafkaProperties = (p: ServerPaths): string =>
  [
    'process.roles=broker,controller',
    'node.id=1',
    `listeners=PLAINTEXT://127.0.0.1:${String(p.ports.broker)},CONTROLLER://127.0.0.1:${String(p.ports.controller)}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${String(p.ports.broker)}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `controller.quorum.bootstrap.servers=127.0.0.1:${String(p.ports.controller)}`,
    `log.dirs=${join(p.dir, 'data')}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Test-friendly: no 3 s wait before the first consumer group rebalance.
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    '',
  ].join('\n');

const KAFKA_LOG4J = `Configuration:
  Appenders:
    Console:
      name: STDOUT
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: INFO
      AppenderRef:
        - ref: STDOUT
`;

/**
 * A JVM running one of Kafka's classes. A test broker lives for seconds or minutes, so by default it runs
 * on the C1 compiler alone: no C2 compiler threads warming code it will not run long (measured, a test
 * file with a broker: event-bus 19.3 / 18.7 → 15.6 / 15.7 CPU-seconds). A benchmark's broker
 * (`throughput`) gets both.
 */
const java = (
  mainClass: string,
  args: string[],
  o: LaunchOptions & { heap?: string } = {},
): { cmd: string; args: string[] } => ({
  cmd: 'java',
  args: [
    ...(o.throughput === true ? [] : ['-XX:TieredStopAtLevel=1']),
    `-Xmx${o.heap ?? '512m'}`,
    '-Xms128m',
    '-cp',
    join(KAFKA_LIBS, '*'),
    mainClass,
    ...args,
  ],
});

/** Kafka's reserved topic ids (0 and 1, `Uuid.ZERO_UUID` and `METADATA_TOPIC_ID`), as cluster ids refused. */
const RESERVED_IDS = new Set(['AAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAQ']);

/**
 * A cluster id as `kafka-storage random-uuid` makes one (16 random bytes, base64url without padding, never
 * starting with "-", which a command line would read as an option), without a JVM started for it.
 */
export function kafkaClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-') && !RESERVED_IDS.has(id)) return id;
  }
}

export const kafka: ServerDef = {
  name: 'kafka',
  portNames: ['broker', 'controller'],
  requires: [KAFKA_LIBS],
  overrides: ['KAFKA_BROKERS'],
  readyTimeoutMs: 60_000,
  prepare(p) {
    writeFileSync(join(p.dir, 'server.properties'), kafkaProperties(p));
    writeFileSync(join(p.dir, 'log4j2.yaml'), KAFKA_LOG4J);
    if (existsSync(join(p.dir, 'data', 'meta.properties'))) return; // formatted before: keep the data
    mkdirSync(join(p.dir, 'data'), { recursive: true });
    const fmt = java('kafka.tools.StorageTool', [
      'format',
      '--standalone',
      '-t',
      kafkaClusterId(),
      '-c',
      join(p.dir, 'server.properties'),
    ]);
    const formatted = spawnSync(fmt.cmd, fmt.args, { encoding: 'utf8' });
    if (formatted.status !== 0)
      throw new Error(`kafka storage format failed: ${formatted.stderr || formatted.stdout}`);
  },
  command(p, o) {
    const run = java('kafka.Kafka', [join(p.dir, 'server.properties')], { ...o, heap: '768m' });
    return { cmd: run.cmd, args: [`-Dlog4j2.configurationFile=${join(p.dir, 'log4j2.yaml')}`, ...run.args] };
  },
  async ready(p) {
    const { Admin } = await import('@platformatic/kafka');
    const admin = new Admin({
      clientId: 'test-servers',
      bootstrapBrokers: [`127.0.0.1:${String(p.ports.broker)}`],
      retries: 0,
      connectTimeout: 1_000,
    });
    try {
      const cluster = await admin.metadata({ topics: [] });
      return cluster.brokers.size > 0;
    } catch {
      return false;
    } finally {
      await admin.close().catch(() => undefined);
    }
  },
  env: (p) => ({
    KAFKA_BROKERS: `127.0.0.1:${String(p.ports.broker)}`,
    KAFKA_LIBS,
    KAFKA_VERSION,
  }),
};
