import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
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
};

function world(
  opts: {
    target?: Target;
    appTs?: string;
    testsPass?: boolean;
    server?: string | null;
    image?: boolean;
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
  it('is ok when the demo is in step with the template and passes its tests', async () => {
    const { ctx, npm } = world();
    assert.deepEqual(await template.check(ctx), {
      status: 'ok',
      detail: 'template renders; the demo passes its tests',
    });
    assert.deepEqual(npm.calls, [`test ${DEMO}`]);
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

  it('fails as not converged when the demo’s tests fail', async () => {
    const { ctx } = world({ testsPass: false });
    const { result } = await runOne(template, ctx, 'compose');
    assert.equal(result?.outcome, 'failed');
    assert.equal(result?.error?.code, 'E_NOT_CONVERGED');
    assert.match(result?.reason ?? '', /the demo's tests fail/);
  });

  it('installs the demo’s packages first when they are not installed', async () => {
    const { ctx, npm } = world();
    npm.isInstalled = false;
    await template.check(ctx);
    assert.deepEqual(npm.calls, [`ci ${DEMO}`, `test ${DEMO}`]);
  });

  it('on k3d builds the image, imports it, applies the manifests and watches the rollout, in that order', async () => {
    const { ctx, docker, k3d, kube } = world({ target: 'k3d' });
    assert.deepEqual(await template.check(ctx), {
      status: 'missing',
      reason: 'image demo-service:0.1.0 is not built',
    });
    await template.apply(ctx);
    assert.deepEqual(docker.builds, [`demo-service:0.1.0 ${DEMO}`]);
    assert.deepEqual(k3d.calls, ['import demo-service:0.1.0 foundation']);
    assert.deepEqual(kube.applied, [
      'ConfigMap/services/demo-service',
      'Deployment/services/demo-service',
      'Service/services/demo-service',
      'ServiceMonitor/services/demo-service',
    ]);
    assert.deepEqual(kube.rollouts, ['Deployment/services/demo-service']);
    assert.equal((await template.check(ctx)).status, 'ok');
  });

  it('on cluster builds and applies, but imports nothing into k3d', async () => {
    const { ctx, k3d } = world({ target: 'cluster' });
    await template.apply(ctx);
    assert.deepEqual(k3d.calls, []);
    assert.equal((await template.check(ctx)).status, 'ok');
  });

  it('a built image is not built again', async () => {
    const { ctx, docker } = world({ target: 'k3d', image: true });
    assert.match((await template.check(ctx)).status, /missing|drift/);
    await template.apply(ctx);
    assert.deepEqual(docker.builds, []);
  });

  it('without a Docker engine is blocked, pointing at 0-1', async () => {
    const { ctx } = world({ target: 'k3d', server: null });
    const r = await template.check(ctx);
    assert.equal(r.status, 'blocked');
    assert.equal(r.status === 'blocked' ? r.hint : '', 'foundation run 0-1');
  });
});
