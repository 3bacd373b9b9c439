// Start a consumer whether or not the broker is there yet: connecting is retried with capped, jittered
// back-off until it succeeds (the service runs and answers meanwhile), and a consumer the client gave up
// on is started again the same way. Offsets are committed in Kafka, so each start resumes from them.
import type { Logger } from 'pino';
import { retryUntilDone, type Backoff } from './backoff.js';
import { describeError } from './unavailable.js';

export interface RunningConsumer {
  /** The message in hand finishes and is committed; then the consumer leaves its group. */
  stop(): Promise<void>;
}

/** Starts one consumer; calls `lost` if the client gives up on it later (it is then started again). */
export type StartConsumer = (lost: () => void) => Promise<RunningConsumer>;

export interface SuperviseOptions {
  readonly backoff: Backoff;
  readonly logger: Logger;
  readonly topics: readonly string[];
  readonly groupId: string;
}

export function superviseConsumer(start: StartConsumer, options: SuperviseOptions): RunningConsumer {
  const stopping = new AbortController();
  const { topics, groupId, logger } = options;
  let current: RunningConsumer | null = null;
  let wake: () => void = () => undefined;

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      // This consumer's own signal: a late call from a consumer already replaced settles nothing new.
      let signalLost: () => void = () => undefined;
      const lost = new Promise<void>((resolve) => (signalLost = resolve));
      wake = signalLost;
      current = await retryUntilDone(() => start(signalLost), {
        backoff: options.backoff,
        signal: stopping.signal,
        failed: (err, waitMs) =>
          logger.warn(
            { reason: describeError(err), topics, groupId, waitMs },
            'kafka consumer cannot start yet',
          ),
      });
      if (current === null) return;
      logger.info({ topics, groupId }, 'kafka consumer started');
      await Promise.race([
        lost,
        new Promise((resolve) => stopping.signal.addEventListener('abort', resolve)),
      ]);
      if (stopping.signal.aborted) return;
      logger.warn({ topics, groupId }, 'kafka consumer lost: starting it again');
      const gone = current;
      current = null;
      await gone.stop().catch((err: unknown) => logger.warn({ err }, 'stopping the lost consumer failed'));
    }
  })();

  return {
    async stop() {
      stopping.abort();
      wake();
      await loop;
      await current?.stop();
      current = null;
    },
  };
}
