// Task 0-7 with typed fakes of Docker and Compose and the package's real configuration files: what it
// writes, when it starts the project, what its check reports, and how it fails.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SOURCE_PATHS } from '../../lib/compose/sources.js';
import { FoundationError } from '../../lib/errors.js';
import compose from '../../tasks/07-compose.js';
import { fakeCompose, fakeDocker } from '../helpers/fake-ports.js';
import { fakeContext, madeUpSecret, runOne } from '../helpers/fixtures.js';
import { SHIPPED_PORTS, stackSourceFiles } from '../helpers/compose-project.js';
import { ROOT } from '../helpers/cli.js';

const SERVICES = ['redpanda', 'console', 'prometheus', 'alertmanager', 'grafana', 'loki', 'tempo', 'alloy'];
const GRAFANA_PASSWORD = madeUpSecret('grafana');
const ENV = `GRAFANA_ADMIN_PASSWORD=${GRAFANA_PASSWORD}\nPOSTGRES_PASSWORD=${madeUpSecret('postgres')}\nREDIS_PASSWORD=${madeUpSecret('redis')}\n`;
const GENERATED = '/pkg/compose/generated';

function world(
  opts: { env?: string; composeVersion?: string | null; server?: string | null; busy?: number[] } = {},
) {
  const fileMap = new Map(stackSourceFiles());
  for (const file of ['docker-compose.yml', 'docker-compose.infra.yml'])
    fileMap.set(join('/pkg/compose', file), readFileSync(join(ROOT, 'compose', file), 'utf8'));
  fileMap.set('.env', opts.env ?? ENV);
  const engine = fakeCompose(SERVICES, {
    version: opts.composeVersion,
    // As Compose answers for the project 0-7 passes: no profile, so not the data services.
    published: (project) =>
      SHIPPED_PORTS.filter((p) => SERVICES.includes(p.service) && (project.profiles ?? []).length === 0),
  });
  const asked: string[] = [];
  const ctx = fakeContext({
    fileMap,
    target: 'compose',
    compose: engine,
    docker: fakeDocker({ server: opts.server }),
    listeners: {
      inUse: (host, port) => {
        asked.push(`${host}:${port}`);
        return Promise.resolve((opts.busy ?? []).includes(port));
      },
    },
  });
  return { ctx, engine, fileMap, asked };
}

describe('task 0-7 compose', () => {
  it('renders the configuration, starts the project with it, then is converged', async () => {
    const { ctx, engine, fileMap } = world();
    const before = await compose.check(ctx);
    assert.equal(before.status, 'missing');
    assert.equal(
      before.status === 'missing' && before.reason,
      'the Compose configuration is not rendered yet',
    );
    const { result } = await runOne(compose, ctx, 'compose');
    assert.equal(result?.outcome, 'changed');
    assert.equal(engine.ups.length, 1);
    const project = engine.ups[0];
    assert.equal(project?.file, '/pkg/compose/docker-compose.yml');
    assert.deepEqual(project?.envFiles, [`${GENERATED}/infra.env`]);
    assert.equal(project?.env?.PROMETHEUS_RETENTION, '30d');
    assert.equal(project?.env?.GRAFANA_ADMIN_PASSWORD, GRAFANA_PASSWORD, 'reaches Compose by env');
    assert.match(fileMap.get(`${GENERATED}/infra.env`) ?? '', /^LOKI_CONFIG=sha256:/m);
    assert.ok(
      !(fileMap.get(`${GENERATED}/infra.env`) ?? '').includes(GRAFANA_PASSWORD),
      'no secret in a file',
    );
    assert.ok(fileMap.has(`${GENERATED}/alloy/config.alloy`));
    assert.deepEqual(await compose.check(ctx), {
      status: 'ok',
      detail: '8 services running and healthy; configuration as rendered from k8s/',
    });
  });

  it('a port another program listens on: E_PORT_IN_USE naming it and its service, before anything starts', async () => {
    const { ctx, engine, asked } = world({ busy: [3000, 19092] });
    const { result } = await runOne(compose, ctx, 'compose');
    assert.equal(result?.outcome, 'failed');
    assert.equal(result?.error?.code, 'E_PORT_IN_USE');
    assert.equal(
      result?.error?.message,
      'the Compose platform cannot start: another program listens on 127.0.0.1:19092 (redpanda), 127.0.0.1:3000 (grafana)',
    );
    assert.match(result?.error?.fix ?? '', /ss -ltnp 'sport = :19092'/);
    assert.equal(engine.ups.length, 0, 'nothing was started');
    assert.ok(asked.includes('127.0.0.1:3100'), 'every service about to start is asked');
  });

  it('the ports of services already running are theirs: not asked again', async () => {
    const { ctx, engine, asked } = world();
    await runOne(compose, ctx, 'compose');
    asked.length = 0;
    engine.running.splice(
      engine.running.findIndex((s) => s.service === 'grafana'),
      1,
    );
    await runOne(compose, ctx, 'compose');
    assert.deepEqual(asked, ['127.0.0.1:3000'], 'only the stopped one');
  });

  it('a retention change in the values is drift by service and setting; apply recreates through up', async () => {
    const { ctx, engine, fileMap } = world();
    await runOne(compose, ctx, 'compose');
    const values = join('/pkg', SOURCE_PATHS.values.loki);
    fileMap.set(values, (fileMap.get(values) ?? '').replace('336h', '240h'));
    const drift = await compose.check(ctx);
    assert.equal(drift.status, 'drift');
    const diff = drift.status === 'drift' ? (drift.diff ?? '') : '';
    assert.match(diff, /^loki: loki\/loki\.yaml: limits_config\.retention_period: "336h" → "240h"$/m);
    assert.match(diff, /^loki: infra\.env: LOKI_CONFIG: "sha256:\w+" → "sha256:\w+"$/m);
    assert.match(diff, /^loki: runs configuration sha256:\w+, rendered sha256:\w+$/m);
    assert.doesNotMatch(diff, /^(grafana|tempo|prometheus):/m, 'other services are not named');
    await runOne(compose, ctx, 'compose');
    assert.equal(engine.ups.length, 2);
    assert.equal((await compose.check(ctx)).status, 'ok');
  });

  it('a hand edit of a generated file is repaired, and the service that read it is restarted', async () => {
    const { ctx, engine, fileMap } = world();
    await runOne(compose, ctx, 'compose');
    fileMap.set(`${GENERATED}/prometheus/prometheus.yml`, 'global: {scrape_interval: 1s}\n');
    const drift = await compose.check(ctx);
    assert.match(
      drift.status === 'drift' ? (drift.diff ?? '') : '',
      /^prometheus: prometheus\/prometheus\.yml: global\.scrape_interval: "1s" → "30s"$/m,
    );
    await runOne(compose, ctx, 'compose');
    assert.deepEqual(engine.restarts, [['prometheus']]);
    assert.equal((await compose.check(ctx)).status, 'ok');
  });

  it('a stopped or unhealthy container is drift naming it', async () => {
    const { ctx, engine } = world();
    await runOne(compose, ctx, 'compose');
    engine.running = engine.running.map((s) =>
      s.service === 'tempo'
        ? { ...s, state: 'exited', health: '' }
        : s.service === 'grafana'
          ? { ...s, health: 'unhealthy' }
          : s,
    );
    const drift = await compose.check(ctx);
    assert.equal(drift.status, 'drift');
    assert.equal(
      drift.status === 'drift' ? drift.diff : '',
      'grafana: container unhealthy\ntempo: container exited',
    );
  });

  it('up that never gets healthy fails naming the service, its state and its last log lines', async () => {
    const { ctx, engine } = world();
    engine.up = () => {
      engine.running = SERVICES.map((service) => ({
        service,
        state: 'running',
        health: service === 'loki' ? 'unhealthy' : 'healthy',
      }));
      return Promise.reject(
        new FoundationError('E_COMMAND_FAILED', 'docker compose up exited 1', 'see the log'),
      );
    };
    const { result } = await runOne(compose, ctx, 'compose');
    assert.equal(result?.outcome, 'failed');
    assert.equal(result?.error?.code, 'E_NOT_CONVERGED');
    assert.match(result?.reason ?? '', /loki is unhealthy; its last log lines:\n {4}last lines of loki/);
    assert.doesNotMatch(result?.reason ?? '', /grafana is/);
  });

  it('blocked without the passwords in .env, without an engine, or without the Compose plugin', async () => {
    const noSecret = await compose.check(world({ env: `GRAFANA_ADMIN_PASSWORD=${GRAFANA_PASSWORD}\n` }).ctx);
    assert.deepEqual(noSecret, {
      status: 'blocked',
      reason: '.env has no POSTGRES_PASSWORD, REDIS_PASSWORD (the Compose platform needs it)',
      hint: 'foundation run 0-1 (generates it into .env)',
    });
    const noEngine = await compose.check(world({ server: null }).ctx);
    assert.equal(noEngine.status === 'blocked' && noEngine.reason, 'no Docker engine answers');
    const noPlugin = await compose.check(world({ composeVersion: null }).ctx);
    assert.equal(noPlugin.status === 'blocked' && noPlugin.reason, 'the Docker Compose v2 plugin is missing');
  });

  it('is skipped on the Kubernetes targets', async () => {
    const { ctx, engine } = world();
    const { result } = await runOne(compose, { ...ctx, target: 'k3d' }, 'k3d');
    assert.equal(result?.outcome, 'skipped');
    assert.equal(engine.ups.length, 0);
  });
});
