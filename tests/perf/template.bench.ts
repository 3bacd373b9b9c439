// `npm run bench -- template`: the demo service under load on loopback, side by side with bare Fastify in
// the same run. Every server runs at once and they are loaded in turns (tests/perf/interleave.ts: 2 s
// warm-up, then 4 rounds of 2 s each, 32 connections), so a shared machine's background load is spread
// over all of them:
//   GET /livez         the template's most trivial route, traced, counted and logged (TELEMETRY_PROBES=on);
//                      ratios are to bare Fastify (the same Fastify, one route, no hooks, no logger);
//   GET /events/stats  a trivial service route (the figure earlier versions of this bench reported);
//   POST /events       validated and published to the real broker; ratios are to the demo with TELEMETRY=off.
// "Instrumented" is everything on: spans exported over OTLP to the real Jaeger, RED metrics, access logs.
// Jaeger, the broker and the load generator share the same cores: their CPU per request is reported too
// (…NeighbourCpuUs…, …LoadCpuUs…, and machineCpuUs… the sum with the server's), since on a machine whose
// cores are all busy the throughput ratio follows the whole machine's CPU per request, not the server's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStarted, stopAll } from '../../scripts/test-servers/manager.js';
import { buildDemo, startDemo, type RunningDemo } from '../integration/demo.js';
import { startBareFastify, type BareFastify } from './bare-fastify.js';
import { interleaved, type Measured, type Target } from './interleave.js';

const ROUNDS = { warmup: 2, rounds: 4, seconds: 2 };
const CONFIGS = ['on', 'sampled', 'untraced', 'off'] as const;
type Config = (typeof CONFIGS)[number];

const r = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
/** Server, neighbours and load generator together: the whole machine's CPU per request, µs. */
const machineCpu = (m: Measured): number =>
  m.cpuUsPerRequest + m.neighbourCpuUsPerRequest + m.loadCpuUsPerRequest;

export async function benchTemplate(): Promise<Record<string, number | string>> {
  buildDemo();
  const root = mkdtempSync(join(tmpdir(), 'bench-template-'));
  const demos: RunningDemo[] = [];
  let bare: BareFastify | null = null;
  try {
    const kafka = await ensureStarted(root, 'kafka', { throughput: true });
    const jaeger = await ensureStarted(root, 'jaeger');
    const otlp = { OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '' };
    const env: Record<Config, Record<string, string>> = {
      on: otlp,
      sampled: { ...otlp, OTEL_TRACES_SAMPLER_ARG: '0.1' },
      untraced: {},
      off: { TELEMETRY: 'off' },
    };
    const neighbours = [kafka.pid, jaeger.pid];
    const targets = {} as Record<Config, Target>;
    for (const config of CONFIGS) {
      // Logs go to a file, as a container runtime drains stdout; a pipe nobody reads would stall the demo.
      const demo = await startDemo(
        {
          KAFKA_BROKERS: kafka.env.KAFKA_BROKERS ?? '',
          DEMO_TOPIC: `bench.events.${config}`, // each consumes only its own events
          KAFKA_GROUP_ID: `bench-${config}`,
          LOG_LEVEL: 'info',
          TELEMETRY_PROBES: 'on',
          ...env[config],
        },
        join(root, `${config}.log`),
      );
      demos.push(demo);
      targets[config] = { url: demo.url, pid: demo.child.pid, neighbours };
    }
    bare = await startBareFastify();
    const livez = interleaved(
      { bare: { url: bare.url, pid: bare.pid, neighbours }, ...targets },
      { path: '/livez' },
      ROUNDS,
    );
    const stats = interleaved({ on: targets.on, off: targets.off }, { path: '/events/stats' }, ROUNDS);
    const post = interleaved(
      { on: targets.on, sampled: targets.sampled, untraced: targets.untraced, off: targets.off },
      { path: '/events', body: { type: 'bench.event', payload: { n: 1 } } },
      ROUNDS,
    );
    const failed = [livez, stats, post]
      .flatMap((m) => Object.values<Measured>(m))
      .reduce((n, m) => n + m.failed, 0);
    return {
      name: 'template',
      route: 'GET /livez',
      rpsInstrumented: r(livez.on.rps, 0),
      rpsBare: r(livez.bare.rps, 0),
      ratio: r(livez.on.rps / livez.bare.rps, 3),
      addedUsPerRequest: r(1e6 / livez.on.rps - 1e6 / livez.bare.rps, 1),
      p99InstrumentedMs: livez.on.p99Ms,
      p99BareMs: livez.bare.p99Ms,
      cpuUsPerRequestInstrumented: r(livez.on.cpuUsPerRequest, 1),
      cpuUsPerRequestBare: r(livez.bare.cpuUsPerRequest, 1),
      cpuRatio: r(livez.bare.cpuUsPerRequest / livez.on.cpuUsPerRequest, 3),
      neighbourCpuUsPerRequestInstrumented: r(livez.on.neighbourCpuUsPerRequest, 1),
      neighbourCpuUsPerRequestBare: r(livez.bare.neighbourCpuUsPerRequest, 1),
      loadCpuUsPerRequestInstrumented: r(livez.on.loadCpuUsPerRequest, 1),
      loadCpuUsPerRequestBare: r(livez.bare.loadCpuUsPerRequest, 1),
      machineCpuUsPerRequestInstrumented: r(machineCpu(livez.on), 1),
      machineCpuUsPerRequestBare: r(machineCpu(livez.bare), 1),
      machineCpuRatio: r(machineCpu(livez.bare) / machineCpu(livez.on), 3),
      rpsTelemetryOff: r(livez.off.rps, 0),
      ratioTelemetryOff: r(livez.off.rps / livez.bare.rps, 3),
      statsRpsInstrumented: r(stats.on.rps, 0),
      statsRpsBare: r(stats.off.rps, 0),
      statsRatio: r(stats.on.rps / stats.off.rps, 3),
      postRps: r(post.on.rps, 0),
      postRpsInstrumented: r(post.on.rps, 0),
      postRpsBare: r(post.off.rps, 0),
      postRatio: r(post.on.rps / post.off.rps, 3),
      postP99InstrumentedMs: post.on.p99Ms,
      postP99BareMs: post.off.p99Ms,
      postCpuUsPerRequestInstrumented: r(post.on.cpuUsPerRequest, 1),
      postCpuUsPerRequestBare: r(post.off.cpuUsPerRequest, 1),
      postNeighbourCpuUsPerRequestInstrumented: r(post.on.neighbourCpuUsPerRequest, 1),
      postNeighbourCpuUsPerRequestBare: r(post.off.neighbourCpuUsPerRequest, 1),
      postMachineCpuRatio: r(machineCpu(post.off) / machineCpu(post.on), 3),
      ratioSampled10: r(livez.sampled.rps / livez.bare.rps, 3),
      p99Sampled10Ms: livez.sampled.p99Ms,
      postRatioSampled10: r(post.sampled.rps / post.off.rps, 3),
      ratioWithoutTracing: r(livez.untraced.rps / livez.bare.rps, 3),
      postRatioWithoutTracing: r(post.untraced.rps / post.off.rps, 3),
      failedRequests: failed,
    };
  } finally {
    await bare?.stop();
    for (const demo of demos) {
      demo.child.kill('SIGKILL');
      await demo.exited;
    }
    await stopAll(root);
    rmSync(root, { recursive: true, force: true }); // the broker's segments: hundreds of MB a run
  }
}
