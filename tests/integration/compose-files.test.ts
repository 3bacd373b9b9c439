// The platform's Compose files through the real `docker compose config` (Compose v2 from the test
// tools), with the configuration task 0-7 renders: every variable resolved, every service with a
// healthcheck, a memory limit and ports on 127.0.0.1 only, named volumes, one network; and the images
// are the versions the Kubernetes side runs (the Redpanda manifests, the pinned charts).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { createCompose } from '../../lib/adapters/compose.js';
import { createShell } from '../../lib/adapters/shell.js';
import { ENV_FILE, envFileText, renderStack } from '../../lib/compose/render.js';
import { readStackSources } from '../../lib/compose/sources.js';
import { chartsDir, findChart, releases } from '../helpers/charts.js';
import { ROOT } from '../helpers/cli.js';
import { platformEndpoints } from '../../lib/endpoints/list.js';
import { useDocker } from '../helpers/cluster.js';
import { SHIPPED_PORTS } from '../helpers/compose-project.js';
import { silentLog } from '../helpers/fixtures.js';
import { findTool } from '../helpers/tools.js';

const docker = await useDocker();
const promtool = findTool('promtool', 'PROMTOOL_BIN');
const amtool = findTool('amtool', 'AMTOOL_BIN');

interface Service {
  image?: string;
  healthcheck?: { test?: string[] };
  mem_limit?: string | number;
  ports?: { host_ip?: string; published?: string; target?: number }[];
  volumes?: { type: string; source?: string; target: string }[];
  networks?: Record<string, unknown>;
  profiles?: string[];
}
interface Model {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, { name?: string }>;
}

/** compose/ and the demo beside it in a folder of its own, with the configuration rendered into it. */
async function renderedCopy(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'compose-files-'));
  cpSync(join(ROOT, 'compose'), join(dir, 'compose'), {
    recursive: true,
    filter: (src) => !src.endsWith('generated'),
  });
  mkdirSync(join(dir, 'examples'));
  symlinkSync(join(ROOT, 'examples', 'demo-service'), join(dir, 'examples', 'demo-service'));
  const stack = renderStack(
    await readStackSources((p) => Promise.resolve(readFileSync(join(ROOT, p), 'utf8'))),
  );
  const generated = join(dir, 'compose', 'generated');
  for (const f of stack.files) {
    mkdirSync(dirname(join(generated, f.path)), { recursive: true });
    writeFileSync(join(generated, f.path), f.content);
  }
  writeFileSync(join(generated, ENV_FILE), envFileText(stack.env, ['k8s']));
  return join(dir, 'compose');
}

const SECRETS = {
  GRAFANA_ADMIN_PASSWORD: 'files-test-grafana-0123456789',
  POSTGRES_PASSWORD: 'files-test-pg-0123456789',
  REDIS_PASSWORD: 'files-test-redis-0123456789',
};

function config(dir: string, args: string[], env: Record<string, string> = SECRETS) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !(k in SECRETS) && !/^(PROMETHEUS|LOKI|TEMPO|COMPOSE)_/.test(k),
    ),
  );
  return spawnSync('docker', ['compose', ...args, 'config', '--format', 'json'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...clean, ...env },
  });
}

const model = (r: ReturnType<typeof config>): Model => {
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stderr.replace(/.*buildx isn't installed.*\n/g, ''),
    '',
    'no warning: every variable is set',
  );
  return JSON.parse(r.stdout) as Model;
};

const MiB = (v: string | number | undefined): number => Number(v) / 2 ** 20;

describe('the platform Compose files, read by the real docker compose', { skip: docker.skip }, () => {
  it('docker-compose.yml (infra + demo): resolved, healthy by design, bounded, on loopback only', async () => {
    const dir = await renderedCopy();
    const m = model(config(dir, ['-f', 'docker-compose.yml']));
    const names = Object.keys(m.services).sort();
    assert.deepEqual(names, [
      'alertmanager',
      'alloy',
      'console',
      'demo-service',
      'grafana',
      'loki',
      'prometheus',
      'redpanda',
      'tempo',
    ]);
    for (const [name, s] of Object.entries(m.services)) {
      if (name !== 'demo-service') assert.ok(s.healthcheck?.test?.length, `${name} has a healthcheck`);
      assert.ok(MiB(s.mem_limit) > 0, `${name} has a memory limit`);
      for (const p of s.ports ?? [])
        assert.equal(p.host_ip, '127.0.0.1', `${name} publishes ${p.published} on loopback`);
      assert.match(s.image ?? '', /:[\w.-]+$/, `${name}'s image is pinned`);
      assert.doesNotMatch(s.image ?? '', /:latest$/);
    }
    assert.match(
      readFileSync(join(ROOT, 'examples', 'demo-service', 'Dockerfile'), 'utf8'),
      /^HEALTHCHECK /m,
      'the demo image brings its own healthcheck',
    );
    // The addresses `foundation status` probes and `foundation open` opens are these published ports.
    for (const e of platformEndpoints('compose')) {
      const port = new URL(e.url ?? '').port;
      assert.ok(
        m.services[e.name]?.ports?.some((p) => p.published === port && p.host_ip === '127.0.0.1'),
        `${e.name} publishes ${port} on 127.0.0.1`,
      );
    }
    const infra = Object.entries(m.services).filter(([n]) => n !== 'demo-service');
    const total = infra.reduce((sum, [, s]) => sum + MiB(s.mem_limit), 0);
    assert.equal(total, 3584, 'the sum docs/compose.md states');
    for (const stateful of ['redpanda', 'prometheus', 'alertmanager', 'grafana', 'loki', 'tempo', 'alloy']) {
      const named = m.services[stateful]?.volumes?.filter((v) => v.type === 'volume') ?? [];
      assert.equal(named.length, 1, `${stateful} keeps its data in a named volume`);
    }
    assert.deepEqual(
      Object.values(m.networks ?? {}).map((n) => n.name),
      ['foundation'],
    );
    const prom = m.services.prometheus as Service & { command?: string[] };
    assert.ok(prom.command?.includes('--storage.tsdb.retention.time=30d'));
    assert.ok(prom.command?.includes('--storage.tsdb.retention.size=1536MB'));
    const demo = m.services['demo-service'] as Service & { environment?: Record<string, string> };
    assert.equal(demo.environment?.KAFKA_BROKERS, 'redpanda:9092');
    assert.equal(demo.environment?.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://tempo:4318');
  });

  it('the infra file alone with its env file; the data profile adds Postgres and Redis inside 4 GB', async () => {
    const dir = await renderedCopy();
    const base = ['-f', 'docker-compose.infra.yml', '--env-file', join('generated', ENV_FILE)];
    const infra = model(config(dir, base));
    assert.equal(Object.keys(infra.services).length, 8);
    const data = model(config(dir, [...base, '--profile', 'data']));
    assert.ok(data.services.postgres && data.services.redis);
    const total = Object.values(data.services).reduce((sum, s) => sum + MiB(s.mem_limit), 0);
    assert.equal(total, 3904);
    assert.ok(total < 4096);
    for (const v of ['postgres-data', 'redis-data']) assert.ok(v in (data.volumes ?? {}));
  });

  it('the ports 0-7 and 0-14 check before up, as the Compose adapter reads them (0-14: the data profile on)', async () => {
    const dir = await renderedCopy();
    const compose = createCompose(
      createShell({ cwd: dir, signal: new AbortController().signal, log: silentLog }),
    );
    const project = {
      file: join(dir, 'docker-compose.yml'),
      envFiles: [join(dir, 'generated', ENV_FILE)],
      env: SECRETS,
      profiles: ['data'],
    };
    const key = (p: { service: string; host: string; port: number }) => `${p.service} ${p.host}:${p.port}`;
    assert.deepEqual((await compose.published(project)).map(key).sort(), SHIPPED_PORTS.map(key).sort());
  });

  it('without the secrets or the rendered settings, Compose refuses naming what to do', async () => {
    const dir = await renderedCopy();
    const noSecret = config(dir, ['-f', 'docker-compose.yml'], {
      POSTGRES_PASSWORD: 'x',
      REDIS_PASSWORD: 'x',
    });
    assert.notEqual(noSecret.status, 0);
    assert.match(noSecret.stderr, /GRAFANA_ADMIN_PASSWORD .*foundation run 0-1/);
    const unrendered = config(dir, ['-f', 'docker-compose.infra.yml']);
    assert.notEqual(unrendered.status, 0);
    assert.match(unrendered.stderr, /required variable \w+ is missing a value: run scripts\/infra-up/);
  });

  it('images are the versions the Kubernetes side runs', () => {
    const infra = parse(readFileSync(join(ROOT, 'compose', 'docker-compose.infra.yml'), 'utf8')) as Model;
    const image = (s: string) => infra.services[s]?.image ?? '';
    const k8sImage = (file: string) =>
      /image: (\S+)/.exec(readFileSync(join(ROOT, 'k8s', 'redpanda', file), 'utf8'))?.[1];
    assert.equal(image('redpanda'), k8sImage('redpanda.yaml'));
    assert.equal(image('console'), k8sImage('console.yaml'));
    const charts = chartsDir();
    const inChart = (chart: string, path: string): string => {
      const spec = releases().find((r) => r.chart === chart);
      assert.ok(spec, chart);
      const found = findChart(charts, chart, spec.version);
      assert.ok('path' in found, 'missing' in found ? found.missing : '');
      return execFileSync('tar', ['-xzOf', found.path, `${chart}/${path}`], { encoding: 'utf8' });
    };
    const appVersion = (text: string) => /^appVersion: "?v?([\w.]+)"?$/m.exec(text)?.[1];
    const tag = (s: string) => image(s).split(':').pop()?.replace(/^v/, '');
    const kpsValues = parse(inChart('kube-prometheus-stack', 'values.yaml')) as {
      prometheus: { prometheusSpec: { image: { tag: string } } };
      alertmanager: { alertmanagerSpec: { image: { tag: string } } };
    };
    assert.equal(
      tag('prometheus'),
      kpsValues.prometheus.prometheusSpec.image.tag.replace(/^v|-distroless$/g, ''),
    );
    assert.equal(tag('alertmanager'), kpsValues.alertmanager.alertmanagerSpec.image.tag.replace(/^v/, ''));
    assert.equal(tag('grafana'), appVersion(inChart('kube-prometheus-stack', 'charts/grafana/Chart.yaml')));
    assert.equal(tag('loki'), appVersion(inChart('loki', 'Chart.yaml')));
    assert.equal(tag('tempo'), appVersion(inChart('tempo', 'Chart.yaml')));
    assert.equal(tag('alloy'), appVersion(inChart('alloy', 'Chart.yaml')));
  });

  it('the rendered Prometheus and Alertmanager configurations pass promtool and amtool', async (t) => {
    if ('skip' in promtool || 'skip' in amtool) {
      t.skip('skip' in promtool ? promtool.skip : 'skip' in amtool ? amtool.skip : '');
      return;
    }
    const dir = await renderedCopy();
    const prometheusYml = join(dir, 'generated', 'prometheus', 'prometheus.yml');
    // Inside the container the rules are at /etc/prometheus/rules; here, beside the file.
    writeFileSync(
      prometheusYml,
      readFileSync(prometheusYml, 'utf8').replace('/etc/prometheus/rules/', 'rules/'),
    );
    const prom = spawnSync(promtool.path, ['check', 'config', prometheusYml], { encoding: 'utf8' });
    assert.equal(prom.status, 0, prom.stdout + prom.stderr);
    assert.match(prom.stdout, /SUCCESS: 2 rule files found/);
    const am = spawnSync(
      amtool.path,
      ['check-config', join(dir, 'generated', 'alertmanager', 'alertmanager.yml')],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(am.status, 0, am.stdout + am.stderr);
  });
});
