import { join } from 'node:path';
import { FoundationError } from '../lib/errors.js';
import { RECORD_FILE, render, type Answers, type TemplateFile } from '../lib/generator/render.js';
import { objectsDrift } from '../lib/k8s/converge.js';
import { objectOf, withImage } from '../lib/k8s/manifests.js';
import { notReady } from '../lib/k8s/workloads.js';
import type { KubeObject, ObjectRef, TaskContext } from '../lib/model/context.js';
import { defineTask, type CheckResult } from '../lib/model/task.js';

/** The demo ships with Foundation: it lives in the package, whatever the workspace. */
const demoDir = (ctx: TaskContext): string => join(ctx.platform.packageRoot, 'examples', 'demo-service');

/** The demo's template-owned files as the current template renders them. */
async function rendered(ctx: TaskContext): Promise<{ files: TemplateFile[]; version: string }> {
  const record = await ctx.files.read(join(demoDir(ctx), RECORD_FILE));
  if (record === null)
    throw new FoundationError(
      'E_INSTALL_BROKEN',
      `${demoDir(ctx)}/${RECORD_FILE} is missing`,
      'reinstall Foundation (in its repository: git checkout examples/demo-service)',
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
  const dir = demoDir(ctx);
  if (!(await ctx.npm.installed(dir))) {
    try {
      await ctx.npm.ci(dir);
    } catch (error) {
      if (!(error instanceof FoundationError)) throw error;
      return { status: 'blocked', reason: error.message, hint: error.fix ?? `cd ${dir} && npm ci` };
    }
  }
  return (await ctx.npm.test(dir))
    ? null
    : { status: 'drift', reason: `the demo's tests fail (cd ${dir} && npm test)` };
}

const DEMO_DEPLOYMENT: ObjectRef = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: 'demo-service',
  namespace: 'services',
};

/** The demo's manifests (kustomize puts them in services), running the image just built. */
async function demoObjects(ctx: TaskContext, tag: string): Promise<KubeObject[]> {
  return (await ctx.kube.build(join(demoDir(ctx), 'k8s'))).map((o) => withImage(o, tag));
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
  // On Kubernetes the demo needs the broker (its readiness checks Kafka) and the ServiceMonitor CRD (0-4).
  deps: ['0-1', '0-2', '0-3', '0-4'],
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
    if (ctx.target === 'compose')
      return { status: 'ok', detail: 'template renders; the demo passes its tests' };
    const tag = await imageTag(ctx);
    const docker = await ctx.docker.version();
    if (docker.server === null)
      return {
        status: 'blocked',
        reason: 'no Docker engine answers: the demo image cannot be built',
        hint: 'foundation run 0-1',
      };
    if (!(await ctx.docker.imageExists(tag)))
      return { status: 'missing', reason: `image ${tag} is not built` };
    const drift = await objectsDrift(ctx.kube, await demoObjects(ctx, tag));
    if (drift.length > 0)
      return {
        status: drift.every((d) => d.endsWith(': missing')) ? 'missing' : 'drift',
        reason: 'the demo is not applied to the cluster as its manifests say',
        diff: drift.join('\n'),
      };
    const rollout = await ctx.kube.read(objectOf(DEMO_DEPLOYMENT));
    const why = rollout === null ? 'not found' : notReady(rollout);
    if (why !== null) return { status: 'drift', reason: `deployment/demo-service is not ready: ${why}` };
    return {
      status: 'ok',
      detail: `demo ${tag} built${ctx.target === 'k3d' ? ', imported' : ''} and rolled out`,
    };
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
    if (ctx.target === 'compose') return;
    const tag = await imageTag(ctx);
    if (!(await ctx.docker.imageExists(tag))) {
      const started = performance.now();
      await ctx.docker.build(tag, demoDir(ctx));
      ctx.log.info(`built ${tag} in ${((performance.now() - started) / 1_000).toFixed(1)} s`);
    }
    if (ctx.target === 'k3d') {
      await ctx.k3d.importImage(tag, ctx.config.clusterName);
      ctx.log.info(`imported ${tag} into k3d cluster ${ctx.config.clusterName}`);
    } else
      ctx.log.warn(
        `target cluster: ${tag} must be in a registry the cluster pulls from (it is only built locally)`,
      );
    for (const o of await demoObjects(ctx, tag)) await ctx.kube.apply(o);
    const result = await ctx.kube.rollout(DEMO_DEPLOYMENT, { timeoutMs: 180_000, signal: ctx.signal });
    if (!result.ready)
      throw new FoundationError(
        'E_NOT_CONVERGED',
        `deployment/demo-service did not roll out in 180 s: ${result.reason}`,
        'see why: kubectl -n services describe deployment demo-service; kubectl -n services get events',
      );
    ctx.log.info(`demo-service rolled out in ${(result.ms / 1_000).toFixed(1)} s`);
  },
});
