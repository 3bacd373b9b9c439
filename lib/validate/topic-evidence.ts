import type { DesiredTopic, KafkaApi } from '../ports/kafka.js';
import type { Observations } from './judge.js';
import { PROBE_TIMEOUT_MS, failed, within } from './within.js';

const days = (ms: string) => `${Number(ms) / 86_400_000} d`;

/**
 * REQ-0.2/AC4: every declared topic on the broker deletes what is older than its retention — read back
 * from the broker's topic configs and compared with k8s/redpanda/topics.yaml.
 */
export async function topicObservations(
  kafka: KafkaApi,
  brokers: readonly string[],
  declared: readonly DesiredTopic[],
): Promise<Observations> {
  const how = `the topic configs at ${brokers.join(',')} against k8s/redpanda/topics.yaml`;
  const actual = await within(PROBE_TIMEOUT_MS, `the broker at ${brokers.join(',')}`, async () => {
    const admin = await kafka.connect(brokers);
    try {
      return await admin.describe([]); // configs only
    } finally {
      await admin.close();
    }
  });
  if (failed(actual))
    return { 'REQ-0.2/AC4': { kind: 'error', reason: actual.failed, fix: 'foundation run 0-3', how } };
  const wrong = declared.flatMap((t) => {
    const live = actual.find((a) => a.name === t.name);
    const want = t.config['retention.ms'];
    if (live === undefined) return [`${t.name}: missing`];
    if (want !== undefined && live.config['retention.ms'] !== want)
      return [
        `${t.name}: retention.ms ${live.config['retention.ms'] ?? '(broker default)'}, declared ${want}`,
      ];
    if ((live.config['cleanup.policy'] ?? 'delete') !== (t.config['cleanup.policy'] ?? 'delete'))
      return [`${t.name}: cleanup.policy ${live.config['cleanup.policy'] ?? 'delete'}`];
    return [];
  });
  const summary = declared.map(
    (t) => `${t.name} ${t.config['retention.ms'] ? days(t.config['retention.ms']) : 'broker default'}`,
  );
  return {
    'REQ-0.2/AC4': {
      kind: 'fact',
      holds: wrong.length === 0,
      detail:
        wrong.length === 0 ? `retention as declared, delete policy: ${summary.join(', ')}` : wrong.join('; '),
      how,
      fix: 'foundation run 0-3 (or scripts/kafka-topics-create --dry-run)',
    },
  };
}
