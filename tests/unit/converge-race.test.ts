// objectsDrift compares the stored object with a server-side dry-run apply of the desired one. A controller
// that writes between the two reads (the Deployment controller adds its revision annotation right after
// an apply) must not show as drift; a real difference must.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { objectsDrift } from '../../lib/k8s/converge.js';
import type { Kube, KubeObject } from '../../lib/ports/kube.js';

const desired: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'ssa', namespace: 'ns' },
  spec: { replicas: 2 },
};

/** A store whose object a "controller" annotates once, right after the first read. */
function racyKube(stored: KubeObject, controllerWritesAfterRead: boolean): Kube & { reads: number } {
  let current = stored;
  let version = 1;
  const fake = {
    reads: 0,
    read(): Promise<KubeObject | null> {
      fake.reads++;
      const seen = structuredClone(current);
      if (controllerWritesAfterRead && fake.reads === 1) {
        const meta = current.metadata as Record<string, unknown>;
        current = {
          ...current,
          metadata: { ...meta, annotations: { 'deployment.kubernetes.io/revision': '1' } },
        };
        version++;
        (current.metadata as Record<string, unknown>).resourceVersion = String(version);
      }
      return Promise.resolve(seen);
    },
    // The dry run: what is stored now, with the desired spec over it (and its stored version).
    apply(o: KubeObject): Promise<KubeObject> {
      return Promise.resolve({ ...structuredClone(current), spec: structuredClone(o.spec) });
    },
  };
  return fake as unknown as Kube & { reads: number };
}

const stored = (replicas: number): KubeObject =>
  ({
    ...desired,
    metadata: { ...desired.metadata, resourceVersion: '1' },
    spec: { replicas },
  }) as KubeObject;

describe('drift against a cluster that controllers write to', () => {
  it('a write between the read and the dry run is read again, not reported as drift', async () => {
    const kube = racyKube(stored(2), true);
    assert.deepEqual(await objectsDrift(kube, [desired]), []);
    assert.equal(kube.reads, 2, 'read again once the versions differed');
  });

  it('a real difference is still drift, found on the first read', async () => {
    const kube = racyKube(stored(1), false);
    assert.deepEqual(await objectsDrift(kube, [desired]), ['Deployment ns/ssa: spec.replicas']);
    assert.equal(kube.reads, 1);
  });
});
