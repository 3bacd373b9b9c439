import type { KubeConfig } from '@kubernetes/client-node';
import { notReady } from '../k8s/workloads.js';
import type { Clock } from '../ports/clock.js';
import type { KubeObject, ObjectRef, RolloutResult } from '../ports/kube.js';
import { realClock } from '../wait/clock.js';
import { WaitTimeout, pending, waitUntil, type Attempt, type Pending } from '../wait/wait-until.js';

const PLURAL: Readonly<Record<string, string>> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

type Watch = (
  path: string,
  query: Record<string, string>,
  on: (type: string, o: KubeObject) => void,
  done: (err: unknown) => void,
) => Promise<AbortController>;

/**
 * Watch one workload until `notReady` says its rollout is complete (like `kubectl rollout status`), or
 * the time runs out. The watch starts from the current state, so a finished rollout returns at once. The
 * API server ends watches after a while: another is started (with backoff) until done or out of time.
 */
export async function watchRollout(
  watch: Watch,
  ref: ObjectRef,
  options: {
    timeoutMs: number;
    signal?: AbortSignal | undefined;
    onProgress?: (state: string) => void;
    clock?: Clock;
  },
): Promise<RolloutResult> {
  const plural = PLURAL[ref.kind];
  if (plural === undefined) throw new TypeError(`cannot watch the rollout of a ${ref.kind}`);
  const clock = options.clock ?? realClock;
  const started = clock.now();
  const ms = (): number => Math.round(clock.now() - started);
  const path = `/apis/${ref.apiVersion}/namespaces/${ref.namespace ?? 'default'}/${plural}`;
  const name = `${ref.kind.toLowerCase()}/${ref.name}`;
  let state = `${name} not found`;
  let watchError: string | null = null;
  const reason = (): string => (watchError === null ? state : `${state} (watch: ${watchError})`);

  /** One watch: done when it sees the rollout complete; pending when the server ends it first. */
  const once = ({ signal, note }: Attempt): Promise<true | Pending> =>
    new Promise((resolve, reject) => {
      watch(
        path,
        { fieldSelector: `metadata.name=${ref.name}` },
        (type, o) => {
          watchError = null;
          if (type === 'DELETED') state = `${name} was deleted`;
          else {
            const why = notReady(o);
            if (why === null) {
              resolve(true);
              return;
            }
            if (state !== `${name}: ${why}`) options.onProgress?.(why);
            state = `${name}: ${why}`;
          }
          note(reason());
        },
        (err) => {
          if (err !== null && err !== undefined && (err as { name?: string }).name !== 'AbortError')
            watchError = (err as Error).message;
          resolve(pending(reason()));
        },
      ).then((controller) => {
        if (signal.aborted) controller.abort();
        else
          signal.addEventListener(
            'abort',
            () => {
              controller.abort();
            },
            { once: true },
          );
      }, reject);
    });

  try {
    await waitUntil(once, {
      what: `the rollout of ${name}`,
      timeoutMs: options.timeoutMs,
      intervalMs: 500,
      maxIntervalMs: 5_000,
      clock,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    return { ready: true, ms: ms() };
  } catch (error) {
    if (error instanceof WaitTimeout) return { ready: false, ms: ms(), reason: reason() };
    throw error;
  }
}

/** The Watch of @kubernetes/client-node, as the function watchRollout takes. */
export async function clientWatch(kc: KubeConfig): Promise<Watch> {
  const { Watch } = await import('@kubernetes/client-node');
  const w = new Watch(kc);
  return (path, query, on, done) =>
    w.watch(
      path,
      query,
      (type: string, o: unknown) => {
        on(type, o as KubeObject);
      },
      done,
    );
}
