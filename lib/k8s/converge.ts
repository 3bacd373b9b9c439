import { objectDrift } from './diff.js';
import { describeObject } from './manifests.js';
import type { Kube, KubeObject } from '../ports/kube.js';

/**
 * How the cluster differs from the objects: one line per object that is missing or whose fields differ
 * (compared after a server-side dry-run apply, so server defaults are not drift). Paths only, never values.
 */
export async function objectsDrift(kube: Kube, objects: readonly KubeObject[]): Promise<string[]> {
  const drift: string[] = [];
  for (const o of objects) {
    const live = await kube.read(o);
    if (live === null) {
      drift.push(`${describeObject(o)}: missing`);
      continue;
    }
    const paths = objectDrift(await kube.apply(o, { dryRun: true }), live);
    if (paths.length > 0) drift.push(`${describeObject(o)}: ${paths.join(', ')}`);
  }
  return drift;
}
