// Ctrl+C (SIGINT) or SIGTERM while a helper script waits on something: the scripts that wait (the Kafka
// scripts' broker work, wait-for-infra) stop and say what they got so far, instead of dying mid-line.

/**
 * Run `work` with a signal that fires, its reason the signal's name, on SIGINT or SIGTERM. The handlers
 * are there only while `work` runs: before and after, a signal ends the process as Node does by default.
 */
export async function whileListening<T>(work: (interrupted: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    controller.abort(signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
