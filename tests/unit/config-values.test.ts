// How each kind of configuration value is read, and the reason given for each kind of invalid one
// (lib/config/schema.ts whyInvalid): in words, never quoting the value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig, type RawValue } from '../../lib/config/schema.js';
import { FoundationError } from '../../lib/errors.js';

const raw = (vars: Record<string, string>) =>
  new Map<string, RawValue>(Object.entries(vars).map(([k, v]) => [k, { value: v, source: '.env line 1' }]));

function problemOf(name: string, value: string): string {
  try {
    parseConfig(raw({ [name]: value }));
  } catch (e) {
    assert.ok(e instanceof FoundationError && e.code === 'E_CONFIG_INVALID', String(e));
    const line = e.message.split('\n').find((l) => l.startsWith(`  - ${name} (from .env line 1): expected`));
    assert.ok(line !== undefined, e.message);
    const reason = line.slice(line.indexOf('; ') + 2);
    assert.ok(!reason.includes(value.trim()), `the value is quoted: ${line}`);
    return reason;
  }
  return assert.fail(`${name}=${value} was taken`);
}

describe('configuration values: why one is invalid', () => {
  const reasons: [string, string, string][] = [
    ['LOG_LEVEL', 'loud', 'the value is not one of them'],
    ['LOG_LEVEL', 'infoo', 'the value is not one of them (did you mean info?)'],
    ['TRACES_API', 'jaegar', 'the value is not one of them (did you mean jaeger?)'],
    ['FOUNDATION_CONCURRENCY', 'lots', 'the value is not of that kind'],
    ['FOUNDATION_CONCURRENCY', '2.5', 'the value is not of that kind'],
    ['FOUNDATION_CONCURRENCY', 'Infinity', 'the value is not of that kind'],
    ['FOUNDATION_CONCURRENCY', '17', 'the value is out of range'],
    ['K3D_AGENTS', '-1', 'the value is out of range'],
    ['FOUNDATION_CANCEL_GRACE_MS', '60001', 'the value is out of range'],
    ['CLUSTER_NAME', 'x'.repeat(33), 'the value is out of range'],
    ['CLUSTER_NAME', 'My_Cluster', 'the value is not in that form'],
    ['FOUNDATION_COMPOSE_FILE', 'compose.json', 'the value is not in that form'],
    ['GRAFANA_ADMIN_PASSWORD', 'x'.repeat(257), 'the value has 257 characters'],
    ['POSTGRES_PASSWORD', 'shortish', 'the value has 8 characters'],
    ['REDIS_PASSWORD', 'sixteen-chars+and/more', 'the value is not in that form'],
    ['PROMETHEUS_URL', 'prometheus.test:9090', 'the value is not in that form'],
    ['PROMETHEUS_URL', 'ftp://prometheus.test', 'the value is not in that form'],
    ['PROMETHEUS_URL', 'http:prometheus.test', 'the value is not in that form'],
    ['HELM_REPO_GRAFANA', 'https:charts.test', 'the value is not in that form'],
    ['KAFKA_BROKERS', 'kafka.test', 'entry 1 of 1 has no port (host:port, e.g. localhost:19092)'],
  ];
  for (const [name, value, reason] of reasons) {
    it(`${name}=${value.length > 20 ? `<${value.length} characters>` : value}: ${reason}`, () => {
      assert.equal(problemOf(name, value), reason);
    });
  }

  it('gives no suggestion for a secret, whatever its value', () => {
    assert.equal(problemOf('GRAFANA_ADMIN_PASSWORD', 'short'), 'the value has 5 characters');
  });

  it('joins every problem of a broker list', () => {
    assert.match(
      problemOf('KAFKA_BROKERS', 'a:1,,PLAINTEXT://b:2'),
      /^entry 2 of 3 is empty .*; entry 3 of 3 has a scheme/,
    );
  });
});

describe('configuration values: how a valid one is read', () => {
  it('reads whole numbers as Number() does: spaces around, hexadecimal, exponent', () => {
    const read = (text: string) => parseConfig(raw({ FOUNDATION_CONCURRENCY: text })).config.concurrency;
    assert.deepEqual([read(' 4 '), read('0x10'), read('1e1')], [4, 16, 10]);
  });

  it('takes an http(s) URL without its surrounding white space, and oci:// for a chart repository', () => {
    const { config } = parseConfig(
      raw({
        OTEL_EXPORTER_OTLP_ENDPOINT: ' HTTP://otel.test:4318 ',
        HELM_REPO_GRAFANA: 'oci://ghcr.io/grafana',
      }),
    );
    assert.equal(config.otlpEndpoint, 'HTTP://otel.test:4318');
    assert.deepEqual(config.helmRepos, { grafana: 'oci://ghcr.io/grafana' });
  });

  it('splits a broker list into host:port entries', () => {
    assert.deepEqual(parseConfig(raw({ KAFKA_BROKERS: 'a:1,b.test:2' })).config.kafkaBrokers, [
      'a:1',
      'b.test:2',
    ]);
  });
});
