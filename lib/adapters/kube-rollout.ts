import type { KubeConfig } from '@kubernetes/client-node';
import { notReady } from '../k8s/workloads.js';
import type { KubeObject, ObjectRef, RolloutResult } from '../ports/kube.js';

const PLURAL: Readonly<Record<string, string>> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

/**
 * Watch one workload until `notReady` says its rollout is complete (like `kubectl rollout status`), or
 * the time runs out. The watch starts from the current state, so a finished rollout returns at once.
 */
export async function watchRollout(
  watch: (
    path: string,
    query: Record<string, string>,
    on: (type: string, o: KubeObject) => void,
    done: (err: unknown) => void,
  ) => Promise<AbortController>,
  ref: ObjectRef,
  options: { timeoutMs: number; signal?: AbortSignal | undefined; onProgress?: (state: string) => void },
): Promise<RolloutResult> {
  const plural = PLURAL[ref.kind];
  if (plural === undefined) throw new TypeError(`cannot watch the rollout of a ${ref.kind}`);
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);
  const path = `/apis/${ref.apiVersion}/namespaces/${ref.namespace ?? 'default'}/${plural}`;
  let reason = `${ref.kind.toLowerCase()}/${ref.name} not found`;
  return new Promise<RolloutResult>((resolve, reject) => {
    let controller: AbortController | null = null;
    let settled = false;
    const finish = (result: RolloutResult | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', cancel);
      controller?.abort();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(() => {
      finish({ ready: false, ms: ms(), reason });
    }, options.timeoutMs);
    const cancel = (): void => {
      finish(new Error('cancelled'));
    };
    options.signal?.addEventListener('abort', cancel, { once: true });
    const start = (): void => {
      if (settled) return;
      watch(
        path,
        { fieldSelector: `metadata.name=${ref.name}` },
        (type, o) => {
          if (type === 'DELETED') {
            reason = `${ref.kind.toLowerCase()}/${ref.name} was deleted`;
            return;
          }
          const why = notReady(o);
          if (why === null) finish({ ready: true, ms: ms() });
          else {
            if (reason !== `${ref.kind.toLowerCase()}/${ref.name}: ${why}`) options.onProgress?.(why);
            reason = `${ref.kind.toLowerCase()}/${ref.name}: ${why}`;
          }
        },
        // The API server ends watches after a while: start another until done.
        (err) => {
          if (settled) return;
          if (err !== null && err !== undefined && (err as { name?: string }).name !== 'AbortError')
            reason = `${reason} (watch: ${(err as Error).message})`;
          setTimeout(start, 500);
        },
      )
        .then((c) => {
          controller = c;
          if (settled) c.abort();
        })
        .catch((error: unknown) => {
          finish(error instanceof Error ? error : new Error(String(error)));
        });
    };
    start();
  });
}

/** The Watch of @kubernetes/client-node, as the function watchRollout takes. */
export async function clientWatch(kc: KubeConfig): Promise<Parameters<typeof watchRollout>[0]> {
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
