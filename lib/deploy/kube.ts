import { join } from 'node:path';
import { FoundationError } from '../errors.js';
import { withImage } from '../k8s/manifests.js';
import type { KubeObject, ObjectRef, TaskContext } from '../model/context.js';
import { probePaths } from './plan.js';
import { PROBE_TIMEOUT_MS, build, timed, type DeployProgress, type DeployTrail } from './stages.js';

const refOf = (o: KubeObject): ObjectRef => ({
  apiVersion: o.apiVersion ?? 'apps/v1',
  kind: o.kind ?? 'Deployment',
  name: (o.metadata as { name: string }).name,
  namespace: (o.metadata as { namespace?: string }).namespace ?? 'default',
});

/** On Kubernetes: build, import (k3d), apply the kustomization, watch the rollout, probe the health. */
export async function onKube(
  ctx: TaskContext,
  svc: { name: string; dir: string },
  o: { timeoutMs: number },
  trail: DeployTrail,
  p: DeployProgress,
): Promise<void> {
  const tag = await timed(trail, p, 'build', `docker build ${svc.dir}`, async () => {
    const t = await build(ctx, svc.dir);
    return { value: t, detail: t };
  });
  trail.image = tag;
  await timed(trail, p, 'import', `the image into ${ctx.target}`, async () => {
    if (ctx.target !== 'k3d')
      return {
        value: null,
        detail: `not imported: the ${ctx.target} target's nodes pull ${tag} themselves — push it to a registry they reach (docker tag, docker push) and name it there, or the rollout waits for an image they cannot get`,
      };
    await ctx.k3d.importImage(tag, ctx.config.clusterName);
    return { value: null, detail: `into k3d cluster ${ctx.config.clusterName}` };
  });
  const objects = await timed(trail, p, 'apply', `${join(svc.dir, 'k8s')} (kustomize)`, async () => {
    const built = withImage(await ctx.kube.build(join(svc.dir, 'k8s')), tag);
    for (const x of built) {
      await ctx.kube.apply(x);
      p.note(`applied ${x.kind ?? '?'} ${refOf(x).namespace}/${refOf(x).name}`);
    }
    return { value: built, detail: `${built.length} objects` };
  });
  const workload = objects.find((x) => x.kind === 'Deployment');
  if (workload === undefined)
    throw new FoundationError(
      'E_CONFIG_INVALID',
      `${svc.dir}/k8s has no Deployment`,
      'see service-template/k8s',
    );
  const ref = refOf(workload);
  await timed(trail, p, 'rollout', `deployment/${ref.name} in ${ref.namespace ?? ''}`, async () => {
    const r = await ctx.kube.rollout(ref, {
      timeoutMs: o.timeoutMs,
      signal: ctx.signal,
      onProgress: (state) => {
        p.note(`rollout: ${state}`);
      },
    });
    if (!r.ready)
      throw new FoundationError(
        'E_NOT_CONVERGED',
        `deployment/${ref.name} did not roll out in ${Math.round(o.timeoutMs / 1000)} s: ${r.reason}`,
        `see why: kubectl -n ${ref.namespace ?? ''} describe deployment ${ref.name}; kubectl -n ${ref.namespace ?? ''} get events`,
      );
    return { value: null, detail: 'every replica updated and ready' };
  });
  const paths = probePaths(workload);
  const service = objects.find((x) => x.kind === 'Service');
  await timed(trail, p, 'health', paths.map((x) => `GET ${x}`).join(', '), async () => {
    trail.health = [
      {
        name: 'pods ready',
        ok: true,
        detail: `every replica passed its readiness probe${paths[0] === undefined ? '' : ` (GET ${paths[0]}, run by the kubelet)`}`,
      },
    ];
    for (const path of service === undefined ? [] : paths) {
      const a = await ctx.kube.proxyGet(
        {
          namespace: refOf(service as KubeObject).namespace ?? 'default',
          name: refOf(service as KubeObject).name,
          port: 'http',
        },
        path,
        PROBE_TIMEOUT_MS,
      );
      trail.health.push({
        name: `GET ${path} through the API server`,
        ok: a.status === 'ok' ? true : a.status === 'failed' ? false : null,
        detail: a.status === 'unreachable' ? `could not be reached from here: ${a.detail}` : a.detail || 'ok',
      });
    }
    return {
      value: null,
      detail: `${trail.health.filter((h) => h.ok === true).length}/${trail.health.length} checks passed`,
    };
  });
}
