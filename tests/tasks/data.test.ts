// Task 0-14 with typed fakes of Kubernetes and Compose and the package's real k8s/data manifests: what
// it applies, waits for and reports, and that the passwords go from .env to the Secret and nowhere else.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import data from '../../tasks/14-data.js';
import { ROOT } from '../helpers/cli.js';
import { SHIPPED_PORTS, stackSourceFiles } from '../helpers/compose-project.js';
import { fakeKube, kustomizationObjects } from '../helpers/fake-kube.js';
import { fakeCompose, fakeDocker } from '../helpers/fake-ports.js';
import { fakeContext, madeUpSecret, runOne } from '../helpers/fixtures.js';
import type { TaskLogger } from '../../lib/model/context.js';

const PG = madeUpSecret('pg');
const REDIS = madeUpSecret('redis');
const ENV = `GRAFANA_ADMIN_PASSWORD=${madeUpSecret('g')}\nPOSTGRES_PASSWORD=${PG}\nREDIS_PASSWORD=${REDIS}\n`;

function recordingLog(): TaskLogger & { lines: string[] } {
  const lines: string[] = [];
  const put = (m: string) => {
    lines.push(m);
  };
  return { lines, info: put, warn: put, debug: put };
}

function onKube(env = ENV, workloadsReady = true) {
  const kube = fakeKube({
    builds: { [join('/pkg', 'k8s', 'data')]: kustomizationObjects(join(ROOT, 'k8s', 'data')) },
    workloadsReady,
  });
  const log = recordingLog();
  const ctx = fakeContext({ fileMap: new Map([['.env', env]]), kube, log, target: 'k3d' });
  return { ctx, kube, log };
}

describe('task 0-14 data', () => {
  it('k3d: applies the Secret, both StatefulSets and Services in infra, waits for both, then is ok', async () => {
    const { ctx, kube, log } = onKube();
    const before = await data.check(ctx);
    assert.equal(before.status, 'missing');
    const { result } = await runOne(data, ctx, 'k3d');
    assert.equal(result?.outcome, 'changed');
    assert.deepEqual(kube.applied, [
      'Secret/infra/data-credentials',
      'StatefulSet/infra/postgres',
      'Service/infra/postgres',
      'StatefulSet/infra/redis',
      'Service/infra/redis',
    ]);
    assert.deepEqual(kube.rollouts, ['StatefulSet/infra/postgres', 'StatefulSet/infra/redis']);
    const secret = kube.store.get('Secret/infra/data-credentials') as { data: Record<string, string> };
    assert.equal(Buffer.from(secret.data.POSTGRES_PASSWORD ?? '', 'base64').toString(), PG);
    assert.equal(Buffer.from(secret.data.REDIS_PASSWORD ?? '', 'base64').toString(), REDIS);
    assert.deepEqual(await data.check(ctx), { status: 'ok', detail: 'postgres and redis ready in infra' });
    const said = JSON.stringify({ log: log.lines, result });
    assert.ok(!said.includes(PG) && !said.includes(REDIS), 'no password in the log or the result');
    assert.match(
      said,
      /postgres:\/\/foundation:\$POSTGRES_PASSWORD@postgres\.infra\.svc\.cluster\.local:5432/,
    );
  });

  it('k3d: a password changed in .env is drift of the Secret (named, never shown)', async () => {
    const { ctx, kube } = onKube();
    await runOne(data, ctx, 'k3d');
    const changed = onKube(ENV.replace(REDIS, madeUpSecret('other')));
    for (const [k, v] of kube.store) changed.kube.store.set(k, v);
    const after = await data.check(changed.ctx);
    assert.equal(after.status, 'drift');
    assert.match(
      after.status === 'drift' ? (after.diff ?? '') : '',
      /Secret\/data-credentials|data-credentials/,
    );
    assert.ok(!JSON.stringify(after).includes(REDIS));
  });

  it('k3d: a StatefulSet that does not roll out fails naming it and how to see why', async () => {
    const { ctx } = onKube(ENV, false);
    const { result } = await runOne(data, ctx, 'k3d');
    assert.equal(result?.outcome, 'failed');
    assert.match(result?.reason ?? '', /statefulset\/postgres did not roll out/);
    assert.match(result?.error?.fix ?? '', /kubectl -n infra describe statefulset postgres/);
  });

  it('blocked without the passwords in .env, saying how to get them', async () => {
    const { ctx } = onKube(`POSTGRES_PASSWORD=${PG}\n`);
    assert.deepEqual(await data.check(ctx), {
      status: 'blocked',
      reason: '.env has no REDIS_PASSWORD',
      hint: 'foundation run 0-1 (generates POSTGRES_PASSWORD and REDIS_PASSWORD into .env)',
    });
  });

  it('compose: starts postgres and redis of the data profile, then reports them healthy', async () => {
    const fileMap = new Map(stackSourceFiles());
    fileMap.set('.env', ENV);
    const engine = fakeCompose(['postgres', 'redis']);
    const ctx = fakeContext({ fileMap, target: 'compose', compose: engine, docker: fakeDocker({}) });
    assert.equal((await data.check(ctx)).status, 'missing');
    const { result } = await runOne(data, ctx, 'compose');
    assert.equal(result?.outcome, 'changed');
    assert.deepEqual(engine.ups[0]?.profiles, ['data']);
    assert.deepEqual(engine.upOptions[0]?.services, ['postgres', 'redis']);
    assert.equal(engine.ups[0]?.env?.REDIS_PASSWORD, REDIS, 'the password reaches Compose by env');
    assert.equal((await data.check(ctx)).status, 'ok');
    engine.running = engine.running.map((s) => (s.service === 'redis' ? { ...s, health: 'unhealthy' } : s));
    assert.deepEqual(await data.check(ctx), { status: 'drift', reason: 'redis: unhealthy' });
  });

  it('compose: a port of postgres or redis another program listens on: E_PORT_IN_USE before up', async () => {
    const fileMap = new Map(stackSourceFiles());
    fileMap.set('.env', ENV);
    const engine = fakeCompose(['postgres', 'redis', 'grafana'], {
      // Compose lists the data services' ports only for a project with the data profile on.
      published: (project) =>
        SHIPPED_PORTS.filter(
          (p) =>
            ['postgres', 'redis', 'grafana'].includes(p.service) &&
            (p.service === 'grafana' || (project.profiles ?? []).includes('data')),
        ),
    });
    const asked: number[] = [];
    const ctx = fakeContext({
      fileMap,
      target: 'compose',
      compose: engine,
      docker: fakeDocker({}),
      listeners: {
        inUse: (_host, port) => {
          asked.push(port);
          return Promise.resolve(port === 5432);
        },
      },
    });
    const { result } = await runOne(data, ctx, 'compose');
    assert.equal(result?.error?.code, 'E_PORT_IN_USE');
    assert.equal(
      result?.error?.message,
      'Postgres and Redis (profile data) cannot start: another program listens on 127.0.0.1:5432 (postgres)',
    );
    assert.equal(engine.ups.length, 0, 'nothing started');
    assert.deepEqual(asked.sort(), [5432, 6379], 'only the data services’ ports (not grafana’s)');
  });

  it('compose: a Compose file without the data services is blocked, naming what it lacks', async () => {
    const fileMap = new Map(stackSourceFiles());
    fileMap.set('.env', ENV);
    const engine = fakeCompose(['redpanda', 'postgres']);
    const ctx = fakeContext({ fileMap, target: 'compose', compose: engine, docker: fakeDocker({}) });
    const check = await data.check(ctx);
    assert.equal(check.status, 'blocked');
    assert.match(
      check.status === 'blocked' ? check.reason : '',
      /defines no redis service in the data profile/,
    );
    const { result } = await runOne(data, ctx, 'compose');
    assert.equal(engine.ups.length, 0, 'nothing started');
    assert.notEqual(result?.outcome, 'changed');
  });
});
