import { join } from 'node:path';
import { FoundationError } from '../lib/errors.js';
import { RECORD_FILE, type Answers, type TemplateFile } from '../lib/generator/render.js';
import { renderService } from '../lib/generator/select.js';
import { objectsDriftReport } from '../lib/k8s/converge.js';
import { objectOf, withImage } from '../lib/k8s/manifests.js';
import { notReady } from '../lib/k8s/workloads.js';
import type { KubeObject, ObjectRef, TaskContext } from '../lib/model/context.js';
import { defineTask, type CheckResult } from '../lib/model/task.js';
import { deployTag } from '../lib/deploy/plan.js';
import { deployService, type DeployTrail } from '../lib/deploy/run.js';
import { packageOf } from '../lib/deploy/stages.js';

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
  const files = renderService(template, answers).filter((f) => !owned.has(f.path));
  return { files, version: template.version };
}

async function drifted(ctx: TaskContext): Promise<string[]> {
  const { files } = await rendered(ctx);
  const out: string[] = [];
  for (const f of files)
    if ((await ctx.files.read(join(demoDir(ctx), f.path))) !== f.content) out.push(f.path);
  return out;
}

/**
 * Whether the demo's tests have passed with its current inputs (files, install, Node), read from what the
 * last passing run kept: check never runs them (it is read-only), apply does. Null when they have.
 */
async function testsPending(ctx: TaskContext): Promise<CheckResult | null> {
  const dir = demoDir(ctx);
  if (!(await ctx.npm.installed(dir)))
    return { status: 'missing', reason: "the demo's npm packages are not installed (apply runs npm ci)" };
  const kept = await ctx.npm.lastPass(dir);
  if (kept === (await ctx.npm.testInputs(dir))) return null;
  return kept === null
    ? { status: 'missing', reason: "the demo's tests have not run for this install (apply runs them)" }
    : {
        status: 'drift',
        reason:
          "the demo's files, its install, Node or the test variables changed since its tests last passed (apply runs them again)",
      };
}

/** Install if needed, run the demo's tests, and keep the inputs they passed with. */
async function runDemoTests(ctx: TaskContext): Promise<void> {
  const dir = demoDir(ctx);
  if (!(await ctx.npm.installed(dir))) await ctx.npm.ci(dir);
  const inputs = await ctx.npm.testInputs(dir); // before the run: a file changed during it is tested again
  if (!(await ctx.npm.test(dir)))
    throw new FoundationError(
      'E_NOT_CONVERGED',
      `the demo's tests fail (their output is in this task's log)`,
      `cd ${dir} && npm test`,
    );
  await ctx.npm.recordPass(dir, inputs);
  ctx.log.info("the demo's tests passed; kept with their inputs, so a check need not run them again");
}

const DEMO = 'demo-service';
const DEMO_DEPLOYMENT: ObjectRef = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: DEMO,
  namespace: 'services',
};

/** The demo's manifests (kustomize puts them in services), running the given image. */
async function demoObjects(ctx: TaskContext, tag: string): Promise<KubeObject[]> {
  return withImage(await ctx.kube.build(join(demoDir(ctx), 'k8s')), tag);
}

/** The tag `foundation deploy demo-service` gives the image last built from the demo, or null if none. */
async function builtTag(ctx: TaskContext): Promise<string | null> {
  const pkg = await packageOf(ctx, demoDir(ctx));
  const id = await ctx.docker.imageId(`${pkg.name}:${pkg.version}`);
  return id === null ? null : deployTag(pkg.name, pkg.version, id);
}

/**
 * 0-10 template: the service template renders, the demo generated from it is in step and has passed its
 * tests with its current files (apply runs them; check reads the kept result); on k3d the demo's image
 * is built, imported into the cluster and its manifests applied.
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
    const tests = await testsPending(ctx);
    if (tests) return tests;
    if (ctx.target === 'compose')
      return { status: 'ok', detail: 'template renders; the demo passed its tests with these files' };
    const docker = await ctx.docker.version();
    if (docker.server === null)
      return {
        status: 'blocked',
        reason: 'no Docker engine answers: the demo image cannot be built',
        hint: 'foundation run 0-1',
      };
    const tag = await builtTag(ctx);
    if (tag === null) return { status: 'missing', reason: 'the demo image is not built' };
    const drift = await objectsDriftReport(ctx.kube, await demoObjects(ctx, tag));
    if (drift.lines.length > 0)
      return {
        status: drift.lines.every((d) => d.endsWith(': missing')) ? 'missing' : 'drift',
        reason: `the demo is not deployed as its manifests say with ${tag}`,
        diff: drift.lines.join('\n'),
        changes: drift.changes,
      };
    const live = await ctx.kube.read(objectOf(DEMO_DEPLOYMENT));
    const why = live === null ? 'not found' : notReady(live);
    if (why !== null) return { status: 'drift', reason: `deployment/${DEMO} is not ready: ${why}` };
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
    // Every apply tests: it runs when the check was not ok, or on `run --force`, which must redo them.
    await runDemoTests(ctx);
    if (ctx.target === 'compose') return; // 0-7 runs the demo on Compose
    // The path `foundation deploy demo-service` takes: build, tag by image ID, import, apply, roll out, probe.
    const trail: DeployTrail = { image: null, stages: [], health: [] };
    await deployService(ctx, { name: DEMO, dir: demoDir(ctx) }, { timeoutMs: 180_000 }, trail, {
      start: () => undefined,
      done: (st) => {
        ctx.log.info(`${st.name}: ${st.detail} (${(st.ms / 1_000).toFixed(1)} s)`);
      },
      note: (text) => {
        ctx.log.info(text);
      },
    });
  },
});
