import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ShellResult, TaskContext } from '../../lib/model/context.js';
import type { Target } from '../../lib/model/task.js';
import template from '../../tasks/10-template.js';
import { fakeContext, ok, runOne, scriptedShell } from '../helpers/fixtures.js';

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
  opts: { target?: Target; appTs?: string; testsPass?: boolean; onPath?: string[]; image?: boolean } = {},
) {
  const fileMap = new Map<string, string>([
    [
      join(DEMO, '.foundation-template.json'),
      JSON.stringify({ answers: { name: 'demo-service', description: 'd' } }),
    ],
    [join(DEMO, 'package.json'), '{"name":"demo-service","version":"0.1.0"}'],
    [join(DEMO, 'src/app.ts'), opts.appTs ?? '// app of demo-service'],
    [join(DEMO, 'src/service.ts'), '// the demo’s own code, never overwritten'],
    [join(DEMO, 'node_modules', '.package-lock.json'), '{}'],
  ]);
  let image = opts.image ?? false;
  let applied = false;
  const fail: ShellResult = { exitCode: 1, stdout: '', stderr: 'no' };
  const sh = scriptedShell(
    {
      'npm test': opts.testsPass === false ? fail : ok('ℹ pass 21'),
      'docker image inspect demo-service:0.1.0': () => (image ? ok('[]') : fail),
      'docker build -t demo-service:0.1.0 /pkg/examples/demo-service': () => ((image = true), ok('built')),
      'k3d image import demo-service:0.1.0 -c foundation': ok('imported'),
      'kubectl apply -k /pkg/examples/demo-service/k8s': () => ((applied = true), ok('applied')),
      'kubectl get deployment demo-service -n services -o name': () =>
        applied ? ok('deployment.apps/demo-service') : fail,
    },
    opts.onPath ?? ['npm', 'docker', 'k3d', 'kubectl'],
  );
  const written: string[] = [];
  const ctx: TaskContext = {
    ...fakeContext({ sh, fileMap, target: opts.target ?? 'compose' }),
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
  return { ctx, sh, fileMap, written };
}

describe('task 0-10 template', () => {
  it('is ok when the demo is in step with the template and passes its tests', async () => {
    const { ctx, sh } = world();
    assert.deepEqual(await template.check(ctx), {
      status: 'ok',
      detail: 'template renders; the demo passes its tests',
    });
    assert.ok(sh.calls.includes('npm test'));
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

  it('on k3d builds the image, imports it into the cluster and applies the manifests, in that order', async () => {
    const { ctx, sh } = world({ target: 'k3d' });
    assert.deepEqual(await template.check(ctx), {
      status: 'missing',
      reason: 'image demo-service:0.1.0 is not built',
    });
    await template.apply(ctx);
    const steps = sh.calls.filter((c) => /^(docker build|k3d|kubectl apply)/.test(c));
    assert.deepEqual(steps, [
      'docker build -t demo-service:0.1.0 /pkg/examples/demo-service',
      'k3d image import demo-service:0.1.0 -c foundation',
      'kubectl apply -k /pkg/examples/demo-service/k8s',
    ]);
    assert.equal((await template.check(ctx)).status, 'ok');
  });

  it('on k3d without docker is blocked, pointing at 0-1', async () => {
    const { ctx } = world({ target: 'k3d', onPath: ['npm', 'kubectl'] });
    const r = await template.check(ctx);
    assert.equal(r.status, 'blocked');
    assert.equal(r.status === 'blocked' ? r.hint : '', 'foundation run 0-1');
  });
});
