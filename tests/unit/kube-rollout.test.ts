import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { watchRollout } from '../../lib/adapters/kube-rollout.js';
import type { KubeObject } from '../../lib/ports/kube.js';
import { fakeClock } from '../helpers/fake-clock.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', namespace: 'services' };
const deployment = (ready: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'demo', namespace: 'services' },
  spec: { replicas: 2 },
  status: { replicas: ready, readyReplicas: ready, updatedReplicas: ready, availableReplicas: ready },
});

type Session = (on: (type: string, o: KubeObject) => void, done: (err: unknown) => void) => void;

/** A watch whose sessions play the given scripts in turn (the last one for any further session). */
function fakeWatch(sessions: Session[]) {
  const started: string[] = [];
  const controllers: AbortController[] = [];
  const watch = (
    path: string,
    query: Record<string, string>,
    on: (type: string, o: KubeObject) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> => {
    started.push(`${path}?${query.fieldSelector ?? ''}`);
    const session = sessions[Math.min(started.length, sessions.length) - 1];
    const controller = new AbortController();
    controllers.push(controller);
    queueMicrotask(() => session?.(on, done));
    return Promise.resolve(controller);
  };
  return { watch, started, controllers };
}

describe('rollout watch', () => {
  it('a finished rollout returns at once', async () => {
    const w = fakeWatch([
      (on) => {
        on('ADDED', deployment(2));
      },
    ]);
    const result = await watchRollout(w.watch, ref, { timeoutMs: 60_000, clock: fakeClock() });
    assert.equal(result.ready, true);
    assert.deepEqual(w.started, ['/apis/apps/v1/namespaces/services/deployments?metadata.name=demo']);
    assert.equal(w.controllers[0]?.signal.aborted, true, 'the watch is closed afterwards');
  });

  it('a watch the server ends is started again, with a pause, until the rollout completes', async () => {
    const progress: string[] = [];
    const clock = fakeClock();
    const w = fakeWatch([
      (on, done) => {
        on('ADDED', deployment(0));
        done(null);
      },
      (on, done) => {
        on('MODIFIED', deployment(1));
        done(new Error('watch closed'));
      },
      (on) => {
        on('MODIFIED', deployment(2));
      },
    ]);
    const result = await watchRollout(w.watch, ref, {
      timeoutMs: 60_000,
      clock,
      onProgress: (s) => progress.push(s),
    });
    assert.equal(result.ready, true);
    assert.equal(w.started.length, 3);
    assert.equal(clock.sleeps.length, 2);
    assert.deepEqual(progress, ['0/2 replicas ready (0 up to date)', '1/2 replicas ready (1 up to date)']);
  });

  it('a rollout that never completes ends at its time limit with the last state and watch error', async () => {
    const clock = fakeClock();
    const w = fakeWatch([
      (on, done) => {
        on('ADDED', deployment(1));
        done(new Error('too old resource version'));
      },
    ]);
    const result = await watchRollout(w.watch, ref, { timeoutMs: 30_000, clock });
    assert.deepEqual(result, {
      ready: false,
      ms: 30_000,
      reason: 'deployment/demo: 1/2 replicas ready (1 up to date) (watch: too old resource version)',
    });
    assert.ok(
      w.controllers.every((c) => c.signal.aborted),
      'no watch left open',
    );
  });

  it('a watch still open at the time limit is closed, its state the reason', async () => {
    const w = fakeWatch([
      (on) => {
        on('ADDED', deployment(0));
      },
    ]);
    const result = await watchRollout(w.watch, ref, { timeoutMs: 10_000, clock: fakeClock() });
    assert.equal(result.ready ? '' : result.reason, 'deployment/demo: 0/2 replicas ready (0 up to date)');
    assert.equal(w.controllers[0]?.signal.aborted, true);
  });

  it('cancelled: rejects with the signal reason and closes the watch', async () => {
    const controller = new AbortController();
    const reason = new Error('Ctrl+C');
    const w = fakeWatch([
      (on) => {
        on('ADDED', deployment(0));
        controller.abort(reason);
      },
    ]);
    await assert.rejects(
      watchRollout(w.watch, ref, { timeoutMs: 60_000, signal: controller.signal, clock: fakeClock() }),
      (e: unknown) => e === reason,
    );
    assert.equal(w.controllers[0]?.signal.aborted, true);
  });
});
