// The servers the integration tests run against, each on 127.0.0.1 with ports picked free at first start
// and kept for restarts. A definition says how to prepare its directory, how to run it, when it is ready,
// and which environment variables tell a test where it is.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, KAFKA_LIBS, KAFKA_VERSION } from './paths.js';
import { kube } from './servers-cluster.js';
import { docker } from './servers-docker.js';
import { postgres } from './postgres.js';
import { redis } from './redis.js';

export interface ServerPaths {
  /** The server's own directory: config, data/, server.log, state.json. */
  readonly dir: string;
  readonly ports: Readonly<Record<string, number>>;
}

/** How a server is started: by default for tests, quick to start and light on the CPU. */
export interface LaunchOptions {
  /** For a benchmark: tuned for throughput (Kafka's JVM with its optimising compiler). */
  readonly throughput?: boolean;
}

export interface ServerDef {
  readonly name: string;
  readonly portNames: readonly string[];
  /** What must be installed, checked before starting (a missing one is a skip reason or a CI failure). */
  readonly requires: readonly string[];
  /** Environment variables that point tests at a server of the developer's own instead. */
  readonly overrides: readonly string[];
  readonly readyTimeoutMs: number;
  prepare(p: ServerPaths): void;
  command(p: ServerPaths, o: LaunchOptions): { cmd: string; args: string[] };
  ready(p: ServerPaths): Promise<boolean>;
  env(p: ServerPaths): Record<string, string>;
  /** Undo what prepare did outside the server's directory (network set-up), after the server stopped. */
  cleanup?(p: ServerPaths): void;
}

const url = (port: number | undefined, path = ''): string => `http://127.0.0.1:${String(port)}${path}`;

async function httpOk(target: string): Promise<boolean> {
  try {
    const res = await fetch(target, { signal: AbortSignal.timeout(1_000) });
    return res.ok;
  } catch {
    return false;
  }
}

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
 * file with a broker: event-bus 19.3 / 18.7 → 15.6 / 15.7 CPU-seconds). A benchmark's broker (`throughput`) gets both.
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

export const prometheus: ServerDef = {
  name: 'prometheus',
  portNames: ['web'],
  requires: [join(BIN, 'prometheus'), join(BIN, 'promtool')],
  overrides: ['PROMETHEUS_URL'],
  readyTimeoutMs: 30_000,
  prepare(p) {
    for (const sub of ['targets', 'rules', 'alertmanagers', 'data'])
      mkdirSync(join(p.dir, sub), { recursive: true });
    // Tests add scrape targets, rule files and Alertmanagers by dropping files here (then POST /-/reload for rules).
    writeFileSync(
      join(p.dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'rule_files:',
        `  - ${join(p.dir, 'rules', '*.yml')}`,
        'alerting:',
        '  alertmanagers:',
        '    - file_sd_configs:',
        `        - files: ['${join(p.dir, 'alertmanagers', '*.json')}']`,
        '          refresh_interval: 1s',
        'scrape_configs:',
        '  - job_name: tests',
        '    file_sd_configs:',
        `      - files: ['${join(p.dir, 'targets', '*.json')}']`,
        '        refresh_interval: 1s',
        '',
      ].join('\n'),
    );
  },
  command: (p) => ({
    cmd: join(BIN, 'prometheus'),
    args: [
      `--config.file=${join(p.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(p.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${String(p.ports.web)}`,
      '--web.enable-lifecycle',
      '--web.enable-admin-api',
    ],
  }),
  ready: (p) => httpOk(url(p.ports.web, '/-/ready')),
  env: (p) => ({
    PROMETHEUS_URL: url(p.ports.web),
    PROMETHEUS_DIR: p.dir,
    PROMTOOL: join(BIN, 'promtool'),
  }),
};

export const alertmanager: ServerDef = {
  name: 'alertmanager',
  portNames: ['web', 'cluster'],
  requires: [join(BIN, 'alertmanager'), join(BIN, 'amtool')],
  overrides: ['ALERTMANAGER_URL'],
  readyTimeoutMs: 30_000,
  prepare(p) {
    mkdirSync(join(p.dir, 'data'), { recursive: true });
    writeFileSync(
      join(p.dir, 'alertmanager.yml'),
      ['route:', '  receiver: tests', '  group_wait: 0s', 'receivers:', '  - name: tests', ''].join('\n'),
    );
  },
  command: (p) => ({
    cmd: join(BIN, 'alertmanager'),
    args: [
      `--config.file=${join(p.dir, 'alertmanager.yml')}`,
      `--storage.path=${join(p.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${String(p.ports.web)}`,
      `--cluster.listen-address=127.0.0.1:${String(p.ports.cluster)}`,
    ],
  }),
  ready: (p) => httpOk(url(p.ports.web, '/-/ready')),
  env: (p) => ({ ALERTMANAGER_URL: url(p.ports.web), AMTOOL: join(BIN, 'amtool') }),
};

export const jaeger: ServerDef = {
  name: 'jaeger',
  portNames: ['otlpGrpc', 'otlpHttp', 'query', 'queryGrpc', 'health'],
  requires: [join(BIN, 'jaeger')],
  overrides: ['OTEL_EXPORTER_OTLP_ENDPOINT', 'JAEGER_QUERY_URL'],
  readyTimeoutMs: 30_000,
  prepare(p) {
    const at = (name: string): string => `127.0.0.1:${String(p.ports[name])}`;
    writeFileSync(
      join(p.dir, 'jaeger.yaml'),
      `service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: info
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: ${at('health')}
  jaeger_storage:
    backends:
      memory_store:
        memory:
          max_traces: 10000
  jaeger_query:
    storage:
      traces: memory_store
    http:
      endpoint: ${at('query')}
    grpc:
      endpoint: ${at('queryGrpc')}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: ${at('otlpGrpc')}
      http:
        endpoint: ${at('otlpHttp')}
processors:
  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memory_store
`,
    );
  },
  command: (p) => ({ cmd: join(BIN, 'jaeger'), args: [`--config=${join(p.dir, 'jaeger.yaml')}`] }),
  ready: async (p) =>
    (await httpOk(url(p.ports.health, '/status'))) && httpOk(url(p.ports.query, '/api/services')),
  env: (p) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: url(p.ports.otlpHttp),
    OTEL_EXPORTER_OTLP_GRPC_ENDPOINT: url(p.ports.otlpGrpc),
    JAEGER_QUERY_URL: url(p.ports.query),
  }),
};

export const SERVERS: Readonly<Record<string, ServerDef>> = {
  kafka,
  prometheus,
  alertmanager,
  jaeger,
  kube,
  docker,
  postgres,
  redis,
};
