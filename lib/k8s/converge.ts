import type { DriftItem } from '../model/task.js';
import { fieldDrift, shownValue } from './diff.js';
import { describeObject } from './manifests.js';
import type { Kube, KubeObject } from '../ports/kube.js';

const versionOf = (o: unknown): unknown =>
  (o as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;

/**
 * The object as stored and as a server-side dry-run apply would leave it, taken from the same stored
 * version: a controller writing in between (the Deployment controller's revision annotation, right after an
 * apply) would otherwise show as drift. Read again, up to twice, when the versions differ; null: missing.
 */
async function liveAndApplied(
  kube: Kube,
  o: KubeObject,
): Promise<{ live: unknown; applied: unknown } | null> {
  for (let attempt = 0; ; attempt++) {
    const live = await kube.read(o);
    if (live === null) return null;
    const applied = await kube.apply(o, { dryRun: true });
    if (versionOf(applied) === versionOf(live) || attempt === 2) return { live, applied };
  }
}

/**
 * How the cluster differs from the objects (compared after a server-side dry-run apply, so server
 * defaults are not drift): one line per object that is missing or whose fields differ (paths only), and
 * the same as data with both values (a Secret's values are never shown).
 */
export async function objectsDriftReport(
  kube: Kube,
  objects: readonly KubeObject[],
): Promise<{ lines: string[]; changes: DriftItem[] }> {
  const lines: string[] = [];
  const changes: DriftItem[] = [];
  for (const o of objects) {
    const name = describeObject(o);
    const compared = await liveAndApplied(kube, o);
    if (compared === null) {
      lines.push(`${name}: missing`);
      changes.push({ path: name, want: 'present', have: null });
      continue;
    }
    const fields = fieldDrift(compared.applied, compared.live);
    if (fields.length === 0) continue;
    lines.push(`${name}: ${fields.map((f) => f.path).join(', ')}`);
    const secret = o.kind === 'Secret';
    for (const f of fields)
      changes.push({
        path: `${name}: ${f.path}`,
        want: shownValue(f.want, secret),
        have: shownValue(f.have, secret),
      });
  }
  return { lines, changes };
}

/** How the cluster differs from the objects: one line per object (see objectsDriftReport). */
export async function objectsDrift(kube: Kube, objects: readonly KubeObject[]): Promise<string[]> {
  return (await objectsDriftReport(kube, objects)).lines;
}
