export interface BatchLimits {
  /** The most messages in one send. */
  readonly maxCount: number;
  /** The most (estimated) bytes in one send; a single larger message still goes, alone. */
  readonly maxBytes: number;
}

/**
 * Producer batching without a linger timer ("group commit"): one send is in flight at a time; whatever is
 * published meanwhile waits and leaves together in the next send. At low load a publish goes out at once
 * (no added latency); under load the batch grows with the number of concurrent publishes, so throughput
 * scales with concurrency while every publish still resolves only when the broker has it (acks=all).
 * A failed send rejects every publish in it. A publish whose `signal` fires while it still waits leaves the
 * queue (it is never sent); once in a send, it cannot be called back.
 */
export function createBatcher<T>(
  send: (items: T[]) => Promise<void>,
  sizeOf: (item: T) => number,
  limits: BatchLimits,
): (item: T, signal?: AbortSignal) => Promise<void> {
  interface Waiting {
    readonly item: T;
    resolve(): void;
    reject(error: unknown): void;
  }
  const queue: Waiting[] = [];
  let busy = false;

  const take = (): Waiting[] => {
    let count = 0;
    let bytes = 0;
    for (const waiting of queue) {
      bytes += sizeOf(waiting.item);
      if (count === limits.maxCount || (count > 0 && bytes > limits.maxBytes)) break;
      count += 1;
    }
    return queue.splice(0, count);
  };

  const next = (): void => {
    if (busy || queue.length === 0) return;
    busy = true;
    const batch = take();
    send(batch.map((w) => w.item))
      .then(
        () => {
          for (const w of batch) w.resolve();
        },
        (error: unknown) => {
          for (const w of batch) w.reject(error);
        },
      )
      .finally(() => {
        busy = false;
        next();
      });
  };

  return (item, signal) =>
    new Promise<void>((resolve, reject) => {
      const waiting: Waiting = { item, resolve, reject };
      queue.push(waiting);
      signal?.addEventListener(
        'abort',
        () => {
          const at = queue.indexOf(waiting);
          if (at < 0) return; // in a send already
          queue.splice(at, 1);
          reject(signal.reason);
        },
        { once: true },
      );
      // In a microtask: publishes made in the same tick leave in the same send.
      if (!busy) queueMicrotask(next);
    });
}
