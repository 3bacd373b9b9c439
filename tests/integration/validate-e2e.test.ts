// The end-to-end probe on real servers: the real demo (built from examples/demo-service) on the real
// broker, scraped by the real Prometheus, tracing to the real Jaeger (the trace lookup Tempo implements,
// through the same code). Loki cannot run here: its hop is proved against recorded answers (unit tests) and
// the report says "no address for Loki". Then the same through `foundation validate`.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHttpProbe } from '../../lib/adapters/validation.js';
import { endToEnd } from '../../lib/validate/e2e.js';
import { ROOT, validateIn } from '../helpers/cli.js';
import { buildDemo, freePort, startDemo, type RunningDemo } from './demo.js';
import { useServer } from './servers.js';

const kafka = await useServer('kafka');
const jaeger = await useServer('jaeger');
const prometheus = await useServer('prometheus');
const skip = kafka.skip || jaeger.skip || prometheus.skip;
const TARGETS = 'validate-e2e.json';

describe(
  'the end-to-end probe on the real demo, broker, Prometheus and Jaeger',
  { skip, timeout: 300_000 },
  () => {
    let demo: RunningDemo;
    const topic = `demo.events.${randomUUID().slice(0, 8)}`;
    const promUrl = prometheus.env.PROMETHEUS_URL ?? '';
    const jaegerUrl = jaeger.env.JAEGER_QUERY_URL ?? '';

    before(async () => {
      buildDemo();
      demo = await startDemo({
        KAFKA_BROKERS: kafka.env.KAFKA_BROKERS ?? '',
        OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '',
        DEMO_TOPIC: topic,
        KAFKA_GROUP_ID: `demo-${topic}`,
        SERVICE_NAME: 'demo-service',
      });
      // Prometheus scrapes the demo as the platform does: job demo-service.
      assert.ok(prometheus.env.PROMETHEUS_DIR, 'the test Prometheus reads targets from its folder');
      writeFileSync(
        join(prometheus.env.PROMETHEUS_DIR, 'targets', TARGETS),
        JSON.stringify([{ targets: [new URL(demo.url).host], labels: { job: 'demo-service' } }]),
      );
    });
    after(async () => {
      if (prometheus.env.PROMETHEUS_DIR)
        rmSync(join(prometheus.env.PROMETHEUS_DIR, 'targets', TARGETS), { force: true });
      demo.child.kill('SIGKILL');
      await demo.exited;
    });

    it('one event: published, consumed, counted in Prometheus, its trace complete in Jaeger with every span timed', async () => {
      const { hops, observations } = await endToEnd(
        createHttpProbe(),
        { demo: demo.url, prometheus: promUrl, loki: null, traces: { url: jaegerUrl, api: 'jaeger' } },
        { hopTimeoutMs: 60_000, pollMs: 250, sleep: (ms) => sleep(ms) },
      );
      assert.deepEqual(
        hops.map((h) => [h.name, h.found]),
        [
          ['published', true],
          ['consumed', true],
          ['metric', true],
          ['traced', true],
        ],
        JSON.stringify(hops, null, 2),
      );
      for (const id of ['REQ-0.3/AC7', 'REQ-0.3/AC8', 'REQ-0.3/AC9']) {
        const o = observations[id];
        assert.ok(o?.kind === 'fact' && o.holds, `${id}: ${JSON.stringify(o)}`);
      }
      const ac7 = observations['REQ-0.3/AC7'];
      assert.ok(ac7?.kind === 'fact');
      assert.match(ac7.detail, /^one trace of \d+ spans: HTTP request → publish → process$/);
      const ac4 = observations['REQ-0.3/AC4'];
      assert.ok(ac4?.kind === 'absent' && /set LOKI_URL/.test(ac4.reason));
      // The trace is the demo's: its log line of the event carries the same trace id.
      const traceId = /trace ([0-9a-f]{32})/.exec(hops[0]?.detail ?? '')?.[1];
      assert.ok(traceId && demo.logs.some((l) => l.trace_id === traceId && l.msg === 'event published'));
    });

    it('foundation validate: the report carries the hops and judges the trace, Loki refused is a FAIL with its fix', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'foundation-validate-e2e-'));
      execFileSync('git', ['init', '-q'], { cwd: dir });
      copyFileSync(join(ROOT, '.env.example'), join(dir, '.env.example'));
      const closed = `http://127.0.0.1:${await freePort()}`;
      const { r, report, by } = await validateIn(
        ['--target', 'compose', '--skip-perf', '--out', 'report'],
        { dir, path: process.env.PATH ?? '' },
        {
          KAFKA_BROKERS: kafka.env.KAFKA_BROKERS ?? '',
          DEMO_URL: demo.url,
          PROMETHEUS_URL: promUrl,
          TEMPO_URL: jaegerUrl,
          TRACES_API: 'jaeger',
          LOKI_URL: closed,
          GRAFANA_URL: closed,
          CONSOLE_URL: closed,
        },
      );
      assert.deepEqual(
        report.endToEnd.map((h) => [h.name, h.found]),
        [
          ['published', true],
          ['consumed', true],
          ['metric', true],
          ['logged', false],
          ['traced', true],
        ],
        r.stdout,
      );
      assert.equal(by('REQ-0.3/AC7')?.status, 'PASS', by('REQ-0.3/AC7')?.evidence);
      assert.equal(by('REQ-0.3/AC9')?.status, 'PASS');
      assert.equal(by('REQ-0.3/AC4')?.status, 'FAIL');
      assert.match(
        by('REQ-0.3/AC4')?.evidence ?? '',
        /^Loki at http:\/\/127\.0\.0\.1:\d+: connection refused/,
      );
      assert.match(by('REQ-0.3/AC4')?.fix ?? '', /^foundation run 0-5/);
      assert.equal(by('REQ-0.3/AC1')?.status, 'PASS', 'the demo is scraped');
      const md = readFileSync(join(dir, 'report', 'phase0-report.md'), 'utf8');
      assert.match(md, /^## End-to-end probe$/m);
      assert.match(md, /^\| traced \| ✅ yes \| /m);
      assert.equal(r.code, 4, 'Loki refused is a FAIL');
      rmSync(dir, { recursive: true, force: true });
    });
  },
);
