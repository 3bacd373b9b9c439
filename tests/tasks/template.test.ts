import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NO_KIT } from '../../lib/generator/kit.js';
import type { TaskContext } from '../../lib/model/context.js';
import type { Target } from '../../lib/model/task.js';
import template from '../../tasks/10-template.js';
import { ROOT } from '../helpers/cli.js';
import { fakeKube, kustomizationObjects } from '../helpers/fake-kube.js';
import { fakeDocker, fakeK3d, fakeNpm } from '../helpers/fake-ports.js';
import { fakeContext, runOne } from '../helpers/fixtures.js';

const DEMO = join('/pkg', 'examples', 'demo-service');
const TEMPLATE = {
  version: '1.0.0',
  serviceOwned: ['src/service.ts'],
  files: [
    { path: 'package.json', content: '{"name":"__SERVICE_NAME__","version":"0.1.0"}' },
    { path: 'src/app.ts', content: '// app of __SERVICE_NAME__' },
    { path: 'src/service.ts', content: '// yours' },
  ],
  kit: NO_KIT,
};

function world(
  opts: {
    target?: Target;
    appTs?: string;
    testsPass?: boolean;
    server?: string | null;
    image?: boolean;
    /** Whether a passing run of the demo's tests is kept for its current inputs (default: yes). */
    passKept?: boolean;
  } = {},
) {
  const fileMap = new Map<string, string>([
    [
      join(DEMO, '.foundation-template.json'),
      JSON.stringify({ answers: { name: 'demo-service', description: 'd' } }),
    ],
    [join(DEMO, 'package.json'), '{"name":"demo-service","version":"0.1.0"}'],
    [join(DEMO, 'src/app.ts'), opts.appTs ?? '// app of demo-service'],
    [join(DEMO, 'src/service.ts'), '// the demo’s own code, never overwritten'],
  ]);
  const npm = fakeNpm({ passes: opts.testsPass ?? true });
  if (opts.passKept ?? true) npm.kept = npm.inputs;
  const docker = fakeDocker({
    server: opts.server,
    images: opts.image === true ? ['demo-service:0.1.0'] : [],
  });
  const k3d = fakeK3d([{ name: 'foundation', servers: 1, serversRunning: 1 }]);
  const kube = fakeKube({
    builds: { [join(DEMO, 'k8s')]: kustomizationObjects(join(ROOT, 'examples', 'demo-service', 'k8s')) },
  });
  const written: string[] = [];
  const ctx: TaskContext = {
    ...fakeContext({ npm, docker, k3d, kube, fileMap, target: opts.target ?? 'compose' }),
    generator: {
      template: () => TEMPLATE,
      writeTree: (dir, files) => {
        for (const f of files) {
          fileMap.set(join(dir, f.path), f.content);
          written.push(f.path);
        }
        return Promise.resolve();
      },
    },
  };
  return { ctx, npm, docker, k3d, kube, fileMap, written };
}

describe('task 0-10 template', () => {
  it('is ok, running nothing, when the demo is in step and its tests passed with these inputs', async () => {
    const { ctx, npm } = world();
    assert.deepEqual(await template.check(ctx), {
      status: 'ok',
      detail: 'template renders; the demo passed its tests with these files',
    });
    assert.deepEqual(npm.calls, [], 'check reads the kept pass: it runs no tests');
  });

  it('tests never run for this install: check runs nothing; apply runs them once and keeps the pass', async () => {
    const { ctx, npm } = world({ passKept: false });
    assert.deepEqual(await template.check(ctx), {
      status: 'missing',
      reason: "the demo's tests have not run for this install (apply runs them)",
    });
    assert.deepEqual(npm.calls, []);
    const { result } = await runOne(template, ctx, 'compose');
    assert.equal(result?.outcome, 'changed', result?.reason);
    assert.deepEqual(npm.calls, [`test ${DEMO}`, `recordPass ${DEMO}`]);
    assert.equal((await template.check(ctx)).status, 'ok');
    assert.equal(npm.calls.length, 2, 'the re-check ran nothing');
  });

  it('inputs changed since the kept pass (a file, the install, Node): drift, and apply tests again', async () => {
    const { ctx, npm } = world();
    npm.inputs = 'inputs-2';
    assert.deepEqual(await template.check(ctx), {
      status: 'drift',
      reason:
        "the demo's files, its install, Node or the test variables changed since its tests last passed (apply runs them again)",
    });
    await template.apply(ctx);
    assert.deepEqual(npm.calls, [`test ${DEMO}`, `recordPass ${DEMO}`]);
    assert.equal(npm.kept, 'inputs-2');
  });

  it('finds a template-owned file that drifted and re-renders only that one', async () => {
    const { ctx, written, fileMap } = world({ appTs: '// edited by hand' });
    const before = await template.check(ctx);
    assert.equal(before.status, 'drift');
    assert.equal(before.status === 'drift' ? before.diff : '', 'src/app.ts');
    await template.apply(ctx);
    assert.deepEqual(written, ['src/app.ts']);
    assert.equal(fileMap.get(join(DEMO, 'src/service.ts')), '// the demo’s own code, never overwritten');
    assert.equal((await template.check(ctx)).status, 'ok');
  });

  it('fails as not converged when the demo’s tests fail, and keeps no pass', async () => {
    const { ctx, npm } = world({ testsPass: false, passKept: false });
    const { result } = await runOne(template, ctx, 'compose');
    assert.equal(result?.outcome, 'failed');
    assert.equal(result?.error?.code, 'E_NOT_CONVERGED');
    assert.match(result?.reason ?? '', /the demo's tests fail/);
    assert.equal(result?.error?.fix, `cd ${DEMO} && npm test`);
    assert.equal(npm.kept, null);
  });

  it('run --force tests again, though a pass is kept: the demo may fail in a way its inputs do not show', async () => {
    const { ctx, npm } = world();
    npm.passes = false;
    const { result } = await runOne(template, ctx, 'compose', { force: true });
    assert.equal(result?.outcome, 'failed', result?.reason);
    assert.match(result?.reason ?? '', /the demo's tests fail/);
    assert.deepEqual(npm.calls, [`test ${DEMO}`]);
  });

  it('packages not installed: check says so and runs nothing; apply installs, then tests', async () => {
    const { ctx, npm } = world();
    npm.isInstalled = false;
    npm.kept = null;
    assert.deepEqual(await template.check(ctx), {
      status: 'missing',
      reason: "the demo's npm packages are not installed (apply runs npm ci)",
    });
    assert.deepEqual(npm.calls, []);
    await template.apply(ctx);
    assert.deepEqual(npm.calls, [`ci ${DEMO}`, `test ${DEMO}`, `recordPass ${DEMO}`]);
  });

  it('on k3d builds the image, tags it by its ID, imports it, applies, watches the rollout, probes its health', async () => {
    const { ctx, docker, k3d, kube } = world({ target: 'k3d' });
    assert.deepEqual(await template.check(ctx), { status: 'missing', reason: 'the demo image is not built' });
    await template.apply(ctx);
    assert.deepEqual(docker.builds, [`demo-service:0.1.0 ${DEMO}`]);
    const tag = `demo-service:0.1.0-1${'a'.repeat(11)}`; // the fake's first image ID
    assert.deepEqual(k3d.calls, [`import ${tag} foundation`]);
    assert.deepEqual(kube.applied, [
      'ConfigMap/services/demo-service',
      'Deployment/services/demo-service',
      'Service/services/demo-service',
      'ServiceMonitor/services/demo-service',
    ]);
    const live = kube.store.get('Deployment/services/demo-service') as {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    assert.equal(live.spec.template.spec.containers[0]?.image, tag);
    assert.deepEqual(kube.rollouts, ['Deployment/services/demo-service']);
    // The Deployment's own probes, asked through the API server: readiness first.
    assert.deepEqual(kube.proxied, ['services/demo-service/readyz', 'services/demo-service/livez']);
    assert.deepEqual(await template.check(ctx), {
      status: 'ok',
      detail: `demo ${tag} built, imported and rolled out`,
    });
  });

  it('a new build of the demo is drift until it is rolled out; a failing health check fails the task', async () => {
    const { ctx, docker, kube } = world({ target: 'k3d' });
    await template.apply(ctx);
    await docker.build('demo-service:0.1.0', DEMO); // new code built by hand: a new image ID
    const r = await template.check(ctx);
    assert.equal(r.status, 'drift');
    assert.match(
      r.status === 'drift' ? r.reason : '',
      /not deployed as its manifests say with demo-service:0\.1\.0-2a{11}/,
    );
    kube.proxyAnswer = {
      status: 'failed',
      detail: 'Error from server (ServiceUnavailable): kafka: not connected',
    };
    const { result, code } = await runOne(template, ctx);
    assert.equal(code, 4);
    assert.match(
      JSON.stringify(result),
      /health checks did not pass: GET \/readyz through the API server: .*kafka: not connected/,
    );
  });

  it('on cluster builds and applies, but imports nothing into k3d', async () => {
    const { ctx, k3d } = world({ target: 'cluster' });
    await template.apply(ctx);
    assert.deepEqual(k3d.calls, []);
    assert.equal((await template.check(ctx)).status, 'ok');
  });

  it('without a Docker engine is blocked, pointing at 0-1', async () => {
    const { ctx } = world({ target: 'k3d', server: null });
    const r = await template.check(ctx);
    assert.equal(r.status, 'blocked');
    assert.equal(r.status === 'blocked' ? r.hint : '', 'foundation run 0-1');
  });
});
