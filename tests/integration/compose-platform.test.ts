// Task 0-7 and the infra scripts against a real Docker engine and the real Compose v2 plugin. The
// platform's own images cannot be pulled here, so the test project stands in for them with images built
// locally: two services (prometheus, loki) that mount the configuration task 0-7 renders from k8s/ and
// carry its hash the way the real Compose file does, and the demo service built from its real Dockerfile
// (with BuildKit, on the local stand-in of node:24-bookworm-slim), on the host network to reach the test Kafka broker.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDocker } from '../../lib/adapters/containers.js';
import { createShell } from '../../lib/adapters/shell.js';
import compose from '../../tasks/07-compose.js';
import { madeUpSecret, silentLog } from '../helpers/fixtures.js';
import { ROOT, cli } from '../helpers/cli.js';
import type { DeployRecord } from '../../lib/deploy/plan.js';
import { clusterWorkspace, outcome, packageCopy, runTasks, useDocker } from '../helpers/cluster.js';
import { standIn, writeProject } from '../helpers/compose-project.js';
import { NODE_IMAGE, ensureNodeImage } from '../helpers/images.js';
import { useServer } from './servers.js';

const docker = await useDocker();
const kafka = await useServer('kafka');

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });

describe(
  'task 0-7 on a real Docker engine',
  { skip: docker.skip || kafka.skip, timeout: 15 * 60_000 },
  () => {
    const id = randomUUID().slice(0, 8);
    const pkg = packageCopy();
    const dir = join(pkg, 'compose-test');
    const file = join(dir, 'docker-compose.yml');
    const bad = join(dir, 'never-ready.yml');
    const ws = clusterWorkspace(
      `GRAFANA_ADMIN_PASSWORD=${madeUpSecret('grafana')}\nPOSTGRES_PASSWORD=${madeUpSecret('postgres')}\nREDIS_PASSWORD=${madeUpSecret('redis')}\n`,
    );
    let demoPort = 0;
    const dc = (project: string, ...args: string[]) =>
      execFileSync('docker', ['compose', '-f', project, ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, ...readEnv() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const readEnv = (): Record<string, string> =>
      Object.fromEntries(
        readFileSync(join(dir, 'generated', 'infra.env'), 'utf8')
          .split('\n')
          .filter((l) => /^[A-Z_]+=/.test(l))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
    const containerId = (service: string) => dc(file, 'ps', '-q', service).trim();
    const run = (composeFile = file, mode: 'run' | 'plan' = 'run') =>
      runTasks([compose], {
        workspace: ws,
        target: 'compose',
        packageRoot: pkg,
        mode,
        config: { composeFile },
      });
    const script = (name: string, args: string[]) =>
      spawnSync(
        process.execPath,
        [join(ROOT, 'dist', 'scripts', 'infra', `${name}.js`), '--workspace', ws, ...args],
        {
          encoding: 'utf8',
          env: { ...process.env, FOUNDATION_COMPOSE_FILE: file },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );

    before(async () => {
      ensureNodeImage();
      demoPort = await freePort();
      mkdirSync(dir, { recursive: true });
      writeProject(
        dir,
        'docker-compose.yml',
        `fdn-compose-${id}`,
        [
          standIn('prometheus', { dir: 'prometheus', setting: 'PROMETHEUS_RETENTION' }),
          standIn('loki', { dir: 'loki', setting: 'LOKI_MEMORY' }),
          '  demo-service:',
          // BuildKit (Compose's own), on the local stand-in: the Dockerfile's pinned base cannot be pulled here.
          `    build: { context: ${join(pkg, 'examples', 'demo-service')}, args: { NODE_IMAGE: ${NODE_IMAGE} } }`,
          `    image: foundation-test/demo-compose:${id}`,
          '    network_mode: host',
          '    environment:',
          `      { PORT: '${demoPort}', KAFKA_BROKERS: '${kafka.env.KAFKA_BROKERS ?? ''}', SERVICE_NAME: demo-service, TELEMETRY: 'off', SHUTDOWN_DELAY_MS: '0' }`,
          '',
        ].join('\n'),
        ['prometheus-data', 'loki-data'],
      );
      writeFileSync(
        bad,
        [
          `name: fdn-never-${id}`,
          'services:',
          '  never-ready:',
          `    image: ${NODE_IMAGE}`,
          `    command: [node, -e, "console.log('waiting for a dependency that never comes'); setInterval(() => {}, 1000)"]`,
          '    healthcheck: { test: [CMD, node, -e, "process.exit(1)"], interval: 1s, timeout: 3s, retries: 2 }',
          '',
        ].join('\n'),
      );
    });
    after(() => {
      for (const project of [file, bad])
        spawnSync(
          'docker',
          ['compose', '-f', project, 'down', '--volumes', '--remove-orphans', '--timeout', '2'],
          {
            cwd: dir,
            env: { ...process.env, ...readEnv() },
          },
        );
      spawnSync('docker', ['image', 'rm', `foundation-test/demo-compose:${id}`]);
    });

    it('renders, builds, starts and waits until every service is healthy; a second run changes nothing', async () => {
      const started = performance.now();
      const first = await run();
      const upMs = Math.round(performance.now() - started);
      assert.equal(first.get('0-7')?.outcome, 'changed', outcome(first, '0-7'));
      const states = dc(file, 'ps', '--format', '{{.Service}} {{.State}} {{.Health}}')
        .trim()
        .split('\n')
        .sort();
      assert.deepEqual(states, [
        'demo-service running healthy',
        'loki running healthy',
        'prometheus running healthy',
      ]);
      // Healthy is live (the image's HEALTHCHECK asks /livez); ready is connected to the broker, which a
      // demo started on a loaded machine may still be retrying with back-off when `up --wait` returns.
      let ready = 0;
      for (const until = Date.now() + 30_000; ready !== 200 && Date.now() < until;) {
        ready = await fetch(`http://127.0.0.1:${demoPort}/readyz`).then(
          (r) => r.status,
          () => 0,
        );
        if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.equal(ready, 200, 'the demo reached the broker within 30 s');
      assert.match(
        dc(file, 'exec', '-T', 'prometheus', 'cat', '/etc/prometheus/prometheus.yml'),
        /^# Generated by foundation \(task 0-7\)/,
        'the rendered prometheus.yml is mounted',
      );
      assert.match(
        dc(
          file,
          'exec',
          '-T',
          'prometheus',
          'node',
          '-e',
          'fetch("http://127.0.0.1:8080").then(r=>r.text()).then(console.log)',
        ),
        /"setting":"30d"/,
      );
      // What foundation validate reads for REQ-0.1/M2 on this target: docker stats of the project.
      const memory = await createDocker(
        createShell({ cwd: dir, signal: new AbortController().signal, log: silentLog }),
      ).memory(`fdn-compose-${id}`);
      assert.deepEqual(Object.keys(memory).length, 3, JSON.stringify(memory));
      for (const mib of Object.values(memory)) assert.ok(mib > 0 && mib < 1024, JSON.stringify(memory));
      const second = await run();
      assert.equal(second.get('0-7')?.outcome, 'ok', outcome(second, '0-7'));
      process.stdout.write(`# compose test project: up --wait (build, create, healthy) in ${upMs} ms\n`);
    });

    it('foundation deploy demo-service rebuilds and restarts the demo alone, then checks its health', async () => {
      const others = ['prometheus', 'loki'].map(containerId);
      const env: Record<string, string> = {
        ...(process.env as Record<string, string>),
        HOME: ws,
        FOUNDATION_COMPOSE_FILE: file,
      };
      const r = await cli(
        ['deploy', 'demo-service', '--target', 'compose'],
        { dir: ws, path: env.PATH ?? '' },
        env,
      );
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /^▶ rollout: docker compose up --build demo-service$/m);
      // the image Compose runs it from, as the record names it
      const shown = /^✔ demo-service deployed on compose in [\d.]+ s \((.+)\)$/m.exec(r.stdout);
      assert.ok(shown !== null, r.stdout.slice(-2_000));
      const record = JSON.parse(
        readFileSync(join(ws, '.foundation', 'deploys', 'demo-service.json'), 'utf8'),
      ) as DeployRecord;
      assert.equal(record.image, shown[1]);
      assert.deepEqual(
        record.stages.map((st) => st.name),
        ['rollout', 'health'],
      );
      assert.deepEqual(record.health[0], { name: 'container healthy', ok: true, detail: 'running, healthy' });
      // This test project runs the demo on the host network: no published port to probe, and it says so.
      assert.deepEqual(
        record.health.slice(1).map((h) => [h.name, h.ok]),
        [
          ['GET /readyz', null],
          ['GET /livez', null],
        ],
      );
      assert.deepEqual(['prometheus', 'loki'].map(containerId), others, 'nothing else restarted');
      process.stdout.write(`# foundation deploy demo-service on compose: ${record.totalMs} ms\n`);
    });

    it('a changed retention is drift by service and setting; apply recreates that service only', async () => {
      const values = join(pkg, 'k8s', 'observability', 'values', 'loki.yaml');
      writeFileSync(
        values,
        readFileSync(values, 'utf8').replace('retention_period: 336h', 'retention_period: 240h'),
      );
      const prometheusBefore = containerId('prometheus');
      const lokiBefore = containerId('loki');
      const plan = await run(file, 'plan');
      const reason = outcome(plan, '0-7');
      assert.equal(plan.get('0-7')?.outcome, 'would-change', reason);
      const diff = plan.get('0-7')?.diff ?? '';
      assert.match(diff, /^loki: loki\/loki\.yaml: limits_config\.retention_period: "336h" → "240h"$/m);
      assert.match(diff, /^loki: runs configuration sha256:\w+, rendered sha256:\w+$/m);
      assert.doesNotMatch(diff, /^(prometheus|demo-service):/m);
      const applied = await run();
      assert.equal(applied.get('0-7')?.outcome, 'changed', outcome(applied, '0-7'));
      assert.notEqual(containerId('loki'), lokiBefore, 'loki recreated with its new configuration');
      assert.equal(containerId('prometheus'), prometheusBefore, 'prometheus untouched');
      assert.match(dc(file, 'exec', '-T', 'loki', 'cat', '/etc/loki/loki.yaml'), /retention_period: 240h/);
    });

    it('a killed container is noticed by check and restored by apply', async () => {
      execFileSync('docker', ['kill', containerId('prometheus')]);
      const plan = await run(file, 'plan');
      assert.equal(plan.get('0-7')?.outcome, 'would-change', outcome(plan, '0-7'));
      assert.match(plan.get('0-7')?.diff ?? '', /^prometheus: container exited$/m);
      const applied = await run();
      assert.equal(applied.get('0-7')?.outcome, 'changed', outcome(applied, '0-7'));
      assert.match(dc(file, 'ps', '--format', '{{.Service}} {{.Health}}'), /^prometheus healthy$/m);
    });

    it('infra-down keeps the data, infra-status says what is missing, the next up finds the same data', async () => {
      const before = dc(file, 'exec', '-T', 'prometheus', 'cat', '/data/id');
      const refused = script('down', ['--volumes']);
      assert.equal(refused.status, 2, refused.stderr);
      assert.match(refused.stderr, /refusing to delete the platform data without a terminal/);
      const down = script('down', []);
      assert.equal(down.status, 0, down.stderr);
      assert.match(down.stdout, new RegExp(`stopped fdn-compose-${id}; its data is kept`));
      assert.equal(dc(file, 'ps', '-q').trim(), '');
      const status = script('status', ['--json']);
      assert.equal(status.status, 3, status.stderr);
      const report = JSON.parse(status.stdout) as {
        v: number;
        type: string;
        check: { status: string; reason: string };
      };
      assert.deepEqual([report.v, report.type], [1, 'infra-status']);
      assert.deepEqual(
        [report.check.status, report.check.reason],
        ['missing', 'the Compose platform is not running'],
      );
      const up = await run();
      assert.equal(up.get('0-7')?.outcome, 'changed', outcome(up, '0-7'));
      assert.equal(
        dc(file, 'exec', '-T', 'prometheus', 'cat', '/data/id'),
        before,
        'the same volume, the same data',
      );
    });

    it('a service that never gets healthy fails the task, naming it with its last log lines', async () => {
      const results = await run(bad);
      const r = results.get('0-7');
      assert.equal(r?.outcome, 'failed', outcome(results, '0-7'));
      assert.equal(r?.error?.code, 'E_NOT_CONVERGED');
      assert.match(
        r?.reason ?? '',
        /never-ready is unhealthy; its last log lines:\n {4}waiting for a dependency that never comes/,
      );
    });
  },
);
