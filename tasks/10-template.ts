import { join } from 'node:path';
import { FoundationError } from '../lib/errors.js';
import { RECORD_FILE, render, type Answers, type TemplateFile } from '../lib/generator/render.js';
import type { TaskContext } from '../lib/model/context.js';
import { defineTask, type CheckResult } from '../lib/model/task.js';

/** The demo ships with Foundation: it lives in the package, whatever the workspace. */
const demoDir = (ctx: TaskContext): string => join(ctx.platform.packageRoot, 'examples', 'demo-service');

/** The demo's template-owned files as the current template renders them. */
async function rendered(ctx: TaskContext): Promise<{ files: TemplateFile[]; version: string }> {
  const record = await ctx.files.read(join(demoDir(ctx), RECORD_FILE));
  if (record === null)
    throw new FoundationError(
      'E_TASK_ERROR',
      `${demoDir(ctx)}/${RECORD_FILE} is missing`,
      'git checkout examples/demo-service',
    );
  const { answers } = JSON.parse(record) as { answers: Answers };
  const template = ctx.generator.template();
  const owned = new Set(template.serviceOwned);
  const files = render(template.files, answers).filter((f) => !owned.has(f.path));
  return { files, version: template.version };
}

async function drifted(ctx: TaskContext): Promise<string[]> {
  const { files } = await rendered(ctx);
  const out: string[] = [];
  for (const f of files)
    if ((await ctx.files.read(join(demoDir(ctx), f.path))) !== f.content) out.push(f.path);
  return out;
}

async function demoTests(ctx: TaskContext): Promise<CheckResult | null> {
  if (!(await ctx.files.exists(join(demoDir(ctx), 'node_modules', '.package-lock.json')))) {
    const ci = await ctx.sh.run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: demoDir(ctx),
      stream: false,
    });
    if (ci.exitCode !== 0)
      return {
        status: 'blocked',
        reason: `npm ci in ${demoDir(ctx)} failed`,
        hint: `cd ${demoDir(ctx)} && npm ci`,
      };
  }
  const test = await ctx.sh.run('npm', ['test'], { cwd: demoDir(ctx), stream: false });
  return test.exitCode === 0
    ? null
    : { status: 'drift', reason: `the demo's tests fail (cd ${demoDir(ctx)} && npm test)` };
}

async function imageTag(ctx: TaskContext): Promise<string> {
  const pkg = JSON.parse((await ctx.files.read(join(demoDir(ctx), 'package.json'))) ?? '{}') as {
    name?: string;
    version?: string;
  };
  return `${pkg.name ?? 'demo-service'}:${pkg.version ?? '0.0.0'}`;
}

/**
 * 0-10 template: the service template renders, the demo generated from it is in step and passes its
 * tests; on k3d the demo's image is built, imported into the cluster and its manifests applied.
 */
export default defineTask({
  id: '0-10',
  title: 'Service template, generator and demo service',
  deps: ['0-1', '0-2'],
  hint: 'foundation run 0-10 (or: cd examples/demo-service && npm test)',
  timeoutMs: 10 * 60_000,
  async check(ctx) {
    const stale = await drifted(ctx);
    if (stale.length > 0) {
      return {
        status: 'drift',
        reason: `the demo differs from the template in ${stale.length} file(s)`,
        diff: stale.join('\n'),
      };
    }
    const tests = await demoTests(ctx);
    if (tests) return tests;
    if (ctx.target !== 'k3d') return { status: 'ok', detail: 'template renders; the demo passes its tests' };
    if ((await ctx.sh.which('docker')) === null || (await ctx.sh.which('k3d')) === null) {
      return {
        status: 'blocked',
        reason: 'docker and k3d are needed to build and import the demo image',
        hint: 'foundation run 0-1',
      };
    }
    const tag = await imageTag(ctx);
    const image = await ctx.sh.run('docker', ['image', 'inspect', tag], { stream: false });
    if (image.exitCode !== 0) return { status: 'missing', reason: `image ${tag} is not built` };
    const deployed = await ctx.sh.run(
      'kubectl',
      ['get', 'deployment', 'demo-service', '-n', 'services', '-o', 'name'],
      { stream: false },
    );
    if (deployed.exitCode !== 0)
      return { status: 'missing', reason: 'the demo is not applied to the cluster' };
    return { status: 'ok', detail: `demo ${tag} built, imported and applied` };
  },
  async apply(ctx) {
    const stale = await drifted(ctx);
    if (stale.length > 0) {
      const { files } = await rendered(ctx);
      await ctx.generator.writeTree(
        demoDir(ctx),
        files.filter((f) => stale.includes(f.path)),
      );
      ctx.log.info(`re-rendered from the template: ${stale.join(', ')}`);
    }
    if (ctx.target !== 'k3d') return;
    const tag = await imageTag(ctx);
    const steps: [string, string[]][] = [
      ['docker', ['build', '-t', tag, demoDir(ctx)]],
      ['k3d', ['image', 'import', tag, '-c', ctx.config.clusterName]],
      ['kubectl', ['apply', '-k', join(demoDir(ctx), 'k8s')]],
    ];
    for (const [command, args] of steps) {
      const result = await ctx.sh.run(command, args);
      if (result.exitCode !== 0) {
        throw new FoundationError(
          'E_COMMAND_FAILED',
          `${command} ${args.join(' ')} exited ${String(result.exitCode)}`,
          'see the task log, fix, then: foundation run 0-10',
        );
      }
    }
  },
});
