// The servers the integration tests run against, each on 127.0.0.1 with ports picked free at first start
// and kept for restarts. A definition says how to prepare its directory, how to run it, when it is ready,
// and which environment variables tell a test where it is.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './paths.js';
import { kube } from './servers-cluster.js';
import { docker } from './servers-docker.js';
import { postgres } from './postgres.js';
import { redis } from './redis.js';
import { kafka } from './kafka-server.js';

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
