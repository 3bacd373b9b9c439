// `foundation deploy`'s stages with typed fakes: what each target runs, in what order, and how a failure
// is reported (the stages done so far stay in the trail). The real control plane: cluster-stack.test.ts.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { composeFilePath } from '../../lib/compose/project.js';
import { deployService, type DeployTrail } from '../../lib/deploy/run.js';
import { FoundationError } from '../../lib/errors.js';
import type { TaskContext } from '../../lib/model/context.js';
import { stackSourceFiles } from '../helpers/compose-project.js';
import { fakeKube, kustomizationObjects } from '../helpers/fake-kube.js';
import { fakeCompose, fakeDocker, fakeK3d } from '../helpers/fake-ports.js';
import { ROOT } from '../helpers/cli.js';
import { fakeContext, madeUpSecret } from '../helpers/fixtures.js';

const DIR = 'services/orders-api';
const quiet = { start: () => undefined, done: () => undefined, note: () => undefined };
const trail = (): DeployTrail => ({ image: null, stages: [], health: [] });

function kubeWorld(opts: { server?: string | null; workloadsReady?: boolean } = {}) {
  const fileMap = new Map([[join(DIR, 'package.json'), '{"name":"@acme/orders-api","version":"1.4.0"}']]);
  const docker = fakeDocker({ server: opts.server, buildId: `sha256:${'be'.repeat(32)}` });
  const k3d = fakeK3d([{ name: 'foundation', servers: 1, serversRunning: 1 }]);
  const kube = fakeKube({
    builds: { [join(DIR, 'k8s')]: kustomizationObjects(join(ROOT, 'examples', 'demo-service', 'k8s')) },
    ...(opts.workloadsReady === undefined ? {} : { workloadsReady: opts.workloadsReady }),
  });
  const ctx: TaskContext = fakeContext({ fileMap, docker, k3d, kube, target: 'k3d' });
  return { ctx, docker, k3d, kube };
}

describe('foundation deploy, stage by stage', () => {
  it('k3d: build, tag by image ID, import, apply, rollout, health — in that order, each timed', async () => {
    const { ctx, docker, k3d, kube } = kubeWorld();
    const t = trail();
    const seen: string[] = [];
    await deployService(ctx, { name: 'orders-api', dir: DIR }, { timeoutMs: 60_000 }, t, {
      start: (s) => seen.push(`start ${s}`),
      done: (s) => seen.push(`done ${s.name}`),
      note: (n) => seen.push(n),
    });
    assert.deepEqual(docker.builds, [`orders-api:1.4.0 /ws/${DIR}`]);
    assert.equal(t.image, 'orders-api:1.4.0-bebebebebebe');
    assert.deepEqual(k3d.calls, ['import orders-api:1.4.0-bebebebebebe foundation']);
    assert.deepEqual(
      seen.filter((l) => /^(start|done)/.test(l)),
      ['build', 'import', 'apply', 'rollout', 'health'].flatMap((s) => [`start ${s}`, `done ${s}`]),
    );
    assert.ok(seen.includes('applied Deployment services/demo-service'));
    assert.deepEqual(
      t.health.map((h) => [h.name, h.ok]),
      [
        ['pods ready', true],
        ['GET /readyz through the API server', true],
        ['GET /livez through the API server', true],
      ],
    );
    assert.deepEqual(kube.rollouts, ['Deployment/services/demo-service']);
  });

  it('a rollout that does not finish fails with what the workload says; the stages before it stay', async () => {
    const { ctx } = kubeWorld({ workloadsReady: false });
    const t = trail();
    await assert.rejects(
      deployService(ctx, { name: 'orders-api', dir: DIR }, { timeoutMs: 1_000 }, t, quiet),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_NOT_CONVERGED' &&
        /did not roll out in 1 s: .*replicas ready/.test(e.message) &&
        /kubectl -n services describe deployment demo-service/.test(e.fix ?? ''),
    );
    assert.deepEqual(
      t.stages.map((s) => s.name),
      ['build', 'import', 'apply'],
    );
  });

  it('no Docker engine: nothing is built or applied, and the fix says where to look', async () => {
    const { ctx, kube } = kubeWorld({ server: null });
    await assert.rejects(
      deployService(ctx, { name: 'orders-api', dir: DIR }, { timeoutMs: 1_000 }, trail(), quiet),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_TOOL_BROKEN' &&
        /installed but no Docker engine answers/.test(e.message),
    );
    assert.deepEqual(kube.applied, []);
  });

  it('compose: only this service is rebuilt and restarted, then its container health and HTTP probes', async () => {
    const fileMap = new Map(stackSourceFiles());
    fileMap.set(
      '.env',
      `GRAFANA_ADMIN_PASSWORD=${madeUpSecret('g')}\nPOSTGRES_PASSWORD=${madeUpSecret('p')}\nREDIS_PASSWORD=${madeUpSecret('r')}\n`,
    );
    const engine = fakeCompose(['redpanda', 'demo-service']);
    const asked: string[] = [];
    const base = fakeContext({ fileMap, target: 'compose', compose: engine, docker: fakeDocker({}) });
    // what task 0-7 renders before it brings the platform up
    const rendered = join(dirname(composeFilePath(base)), 'generated', 'infra.env');
    fileMap.set(rendered, 'KAFKA_BROKERS=redpanda:9092\n');
    const ctx: TaskContext = {
      ...base,
      validation: {
        ...base.validation,
        http: {
          ...base.validation.http,
          get: (url) => {
            asked.push(url);
            return Promise.resolve({ status: 200, ms: 3, body: 'ok' });
          },
        },
      },
    };
    const t = trail();
    await deployService(
      ctx,
      { name: 'demo-service', dir: 'examples/demo-service' },
      { timeoutMs: 90_000 },
      t,
      quiet,
    );
    assert.deepEqual(engine.upOptions, [{ build: true, services: ['demo-service'], timeoutS: 90 }]);
    assert.deepEqual(asked, ['http://127.0.0.1:3001/readyz', 'http://127.0.0.1:3001/livez']);
    assert.deepEqual(
      t.stages.map((s) => s.name),
      ['rollout', 'health'],
    );
    assert.ok(t.health.every((h) => h.ok === true));
    assert.equal(t.image, 'foundation/demo-service:compose', 'the record names the image that runs');
    await assert.rejects(
      deployService(ctx, { name: 'orders-api', dir: DIR }, { timeoutMs: 90_000 }, trail(), quiet),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_USAGE' &&
        /orders-api is not a service of/.test(e.message),
    );
    // Before task 0-7: no platform to deploy onto, said with the task that sets it up.
    fileMap.delete(rendered);
    await assert.rejects(
      deployService(ctx, { name: 'demo-service', dir: 'x' }, { timeoutMs: 90_000 }, trail(), quiet),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_DEPENDENCY_NOT_CONVERGED' &&
        /the Compose platform is not set up here/.test(e.message) &&
        /foundation run 0-7 --target compose/.test(e.fix ?? ''),
    );
    // No Docker engine: said at the start of the rollout stage, before Compose starts anything.
    fileMap.set(rendered, 'KAFKA_BROKERS=redpanda:9092\n');
    const stopped = { ...ctx, docker: fakeDocker({ server: null }) };
    await assert.rejects(
      deployService(stopped, { name: 'demo-service', dir: 'x' }, { timeoutMs: 90_000 }, trail(), quiet),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_TOOL_BROKEN' &&
        /no Docker engine answers: the service cannot be built or started/.test(e.message),
    );
    assert.equal(engine.upOptions.length, 1, 'compose up ran once, for the deploy that could');
    // up --wait fails (the service crashed, the broker is down): each such service with its last lines.
    engine.up = () => {
      engine.running = [
        { service: 'redpanda', state: 'exited', health: '', configHash: 'x' },
        { service: 'demo-service', state: 'running', health: 'unhealthy', configHash: 'x' },
      ];
      return Promise.reject(new Error('container demo-service is unhealthy'));
    };
    const failed = trail();
    await assert.rejects(
      deployService(ctx, { name: 'demo-service', dir: 'x' }, { timeoutMs: 90_000 }, failed, quiet),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_NOT_CONVERGED' &&
        e.message.startsWith(
          'demo-service did not become healthy:\nredpanda is exited; its last log lines:\n    last lines of redpanda\ndemo-service is unhealthy',
        ) &&
        /foundation run 0-7 --target compose/.test(e.fix ?? ''),
    );
    assert.equal(failed.failed?.name, 'rollout');
  });
});
