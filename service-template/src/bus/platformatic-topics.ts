import { setTimeout as sleep } from 'node:timers/promises';
import { Admin } from '@platformatic/kafka';
import type { Logger } from 'pino';

/**
 * Create the consumed topics that do not exist yet (broker defaults) and wait until each partition has a
 * leader. Production settings belong in the platform's topics file (k8s/redpanda/topics.yaml), which the
 * reconciler applies first; this only keeps a fresh environment from failing.
 */
export async function ensureTopics(admin: Admin, topics: readonly string[], logger: Logger): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length === 0) return;
  try {
    await admin.createTopics({ topics: missing });
    logger.warn({ topics: missing }, 'created missing topics with broker defaults');
  } catch (error) {
    // Another replica may have created them in the meantime: only a topic still missing is an error.
    const now = new Set(await admin.listTopics());
    if (missing.some((topic) => !now.has(topic))) throw error;
  }
  for (let i = 0; i < 100; i++) {
    const metadata = await admin.metadata({ topics: missing, forceUpdate: true }).catch(() => null);
    const led = missing.every((topic) => metadata?.topics.get(topic)?.partitions.every((p) => p.leader >= 0));
    if (led) return;
    await sleep(100);
  }
  throw new Error(`topics ${missing.join(', ')} have no partition leader after 10 s`);
}
