import type { ActualTopic } from '../../lib/kafka/plan.js';
import type { TopicAdmin } from '../../lib/kafka/converge.js';

/** An in-memory broker's topic table. */
export function memoryAdmin(
  initial: ActualTopic[] = [],
): TopicAdmin & { topics: Map<string, ActualTopic>; close(): Promise<void> } {
  const topics = new Map(initial.map((t) => [t.name, t]));
  return {
    topics,
    describe: () => Promise.resolve([...topics.values()]),
    create: (t) => {
      if (topics.has(t.name)) return Promise.resolve('exists' as const);
      topics.set(t.name, {
        name: t.name,
        partitions: t.partitions,
        replicationFactor: t.replicationFactor,
        config: { ...t.config },
        leaderless: 0,
      });
      return Promise.resolve('created' as const);
    },
    setConfig: (name, config) => {
      const t = topics.get(name);
      if (t) topics.set(name, { ...t, config: { ...config } });
      return Promise.resolve();
    },
    addPartitions: (name, count) => {
      const t = topics.get(name);
      if (t) topics.set(name, { ...t, partitions: count });
      return Promise.resolve();
    },
    delete: (name) => {
      topics.delete(name);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}
