// One question to the broker before a test script's real work: its topics. A client left to find out by
// itself retries a broker that is away in silence until the time runs out; this says so at once.
import { KafkaAdmin } from '../../lib/adapters/kafka-admin-client.js';
import { FoundationError } from '../../lib/errors.js';
import { orLate } from '../../lib/wait/or-late.js';
import { brokerFailure, untilDone } from './args.js';

/**
 * The topics at `brokers`: a refused connection is E_KAFKA_UNREACHABLE (exit 4) at once, with the
 * reason; no answer within `timeoutMs` the same, saying how long it waited.
 */
export async function brokerTopics(
  brokers: readonly string[],
  clientId: string,
  timeoutMs: number,
): Promise<string[]> {
  const admin = new KafkaAdmin(brokers, clientId);
  const where = brokers.join(',');
  try {
    const topics = await orLate(
      admin.connect().then(() => admin.listTopics()),
      timeoutMs,
      null,
    );
    if (topics === null)
      throw new FoundationError(
        'E_KAFKA_UNREACHABLE',
        `no answer from a Kafka API at ${where} within ${timeoutMs / 1_000} s`,
        'start the broker (foundation run 0-3), or point --brokers / KAFKA_BROKERS at one; or allow longer with --timeout',
      );
    return topics;
  } catch (error) {
    if (error instanceof FoundationError) throw error;
    throw brokerFailure(error, `reaching ${where}`, '', '--brokers');
  } finally {
    await admin.close().catch(() => undefined);
  }
}

/** brokerTopics that Ctrl+C or SIGTERM ends with E_CANCELLED (exit 130), as the scripts' other waits. */
export async function askBroker(
  brokers: readonly string[],
  clientId: string,
  timeoutMs: number,
): Promise<string[]> {
  let topics: string[] = [];
  await untilDone(null, async () => {
    topics = await brokerTopics(brokers, clientId, timeoutMs);
  });
  return topics;
}
