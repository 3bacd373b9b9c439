// `npm run bench -- template`: the demo service under load on loopback, with full telemetry (traces
// exported over OTLP to Jaeger, RED metrics, request logs) and with TELEMETRY=off. autocannon 8 drives
// a GET route (GET /events/stats: trivial, instrumented like any route) and POST /events (through Kafka).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStarted, stopAll } from '../../scripts/test-servers/manager.js';
import { buildDemo, startDemo } from '../integration/demo.js';

interface Result {
  requests: { average: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
}

const autocannon = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

function load(url: string, post: boolean, seconds: number): Result {
  const args = [autocannon, '--json', '-c', '32', '-d', String(seconds), url];
  if (post)
    args.push(
      '-m',
      'POST',
      '-H',
      'content-type=application/json',
      '-b',
      JSON.stringify({ type: 'bench.event', payload: { n: 1 } }),
    );
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out) as Result;
}

async function measure(env: Record<string, string>, logFile: string): Promise<{ get: Result; post: Result }> {
  const demo = await startDemo(env, logFile);
  try {
    load(`${demo.url}/events/stats`, false, 2); // warm-up (JIT, connections)
    const get = load(`${demo.url}/events/stats`, false, 8);
    load(`${demo.url}/events`, true, 2);
    const post = load(`${demo.url}/events`, true, 8);
    return { get, post };
  } finally {
    demo.child.kill('SIGKILL');
    await demo.exited;
  }
}

export async function benchTemplate(): Promise<Record<string, number | string>> {
  buildDemo();
  const root = mkdtempSync(join(tmpdir(), 'bench-template-'));
  try {
    const kafka = await ensureStarted(root, 'kafka');
    const jaeger = await ensureStarted(root, 'jaeger');
    const base = {
      KAFKA_BROKERS: kafka.env.KAFKA_BROKERS ?? '',
      DEMO_TOPIC: 'bench.events',
      LOG_LEVEL: 'info',
    };
    // Logs go to a file, as a container runtime drains stdout; a pipe nobody reads would stall the demo.
    const otlp = jaeger.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '';
    const on = await measure({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: otlp }, join(root, 'on.log'));
    const sampled = await measure(
      {
        ...base,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      },
      join(root, 'sampled.log'),
    );
    const untraced = await measure(base, join(root, 'untraced.log'));
    const off = await measure({ ...base, TELEMETRY: 'off' }, join(root, 'off.log'));
    const r = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
    const errors = [
      on.get,
      on.post,
      sampled.get,
      sampled.post,
      untraced.get,
      untraced.post,
      off.get,
      off.post,
    ].reduce((n, x) => n + x.errors + x.non2xx, 0);
    return {
      name: 'template',
      rpsInstrumented: r(on.get.requests.average, 0),
      rpsBare: r(off.get.requests.average, 0),
      ratio: r(on.get.requests.average / off.get.requests.average, 3),
      p99InstrumentedMs: on.get.latency.p99,
      p99BareMs: off.get.latency.p99,
      postRpsInstrumented: r(on.post.requests.average, 0),
      postRpsBare: r(off.post.requests.average, 0),
      postRatio: r(on.post.requests.average / off.post.requests.average, 3),
      postP99InstrumentedMs: on.post.latency.p99,
      postP99BareMs: off.post.latency.p99,
      ratioSampled10: r(sampled.get.requests.average / off.get.requests.average, 3),
      p99Sampled10Ms: sampled.get.latency.p99,
      postRatioSampled10: r(sampled.post.requests.average / off.post.requests.average, 3),
      ratioWithoutTracing: r(untraced.get.requests.average / off.get.requests.average, 3),
      postRatioWithoutTracing: r(untraced.post.requests.average / off.post.requests.average, 3),
      failedRequests: errors,
    };
  } finally {
    await stopAll(root);
  }
}
