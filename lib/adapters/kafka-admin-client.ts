// The Kafka API's admin side through @platformatic/kafka 2.12.1: the calls the topic reconciler and the
// validate probes make, with readable errors and the waits a freshly made topic needs.
import { Admin, ConfigResourceTypes, ConfigSources, type ClusterTopicMetadata } from '@platformatic/kafka';
import { retry } from '../wait/retry.js';
import { notServed, readable } from './kafka-errors.js';
import { leadsFromAnswer, type PartitionLead } from './kafka-metadata.js';

/**
 * How often a read is tried again while a topic made a moment ago is not hosted by its leader yet (about
 * 7 s of pauses); the time limit only bounds a broker that stops answering.
 */
export const SETTLE = { retries: 10, timeoutMs: 60_000, intervalMs: 100, maxIntervalMs: 1_000 } as const;

class NoLeaderYet extends Error {}
const settling = (e: unknown): boolean => e instanceof NoLeaderYet || notServed(e);

/** Admin calls on two connections: `main` retries like any client, `probe` asks once (for the waits). */
export class KafkaAdmin {
  private readonly main: Admin;
  private readonly probe: Admin;

  constructor(
    readonly brokers: readonly string[],
    clientId: string,
  ) {
    // A broker that accepts the connection and never answers: each request gives up after 10 s (the
    // client's default is 30 s, which its retries made minutes).
    const options = {
      clientId,
      bootstrapBrokers: [...brokers],
      connectTimeout: 3_000,
      requestTimeout: 10_000,
    };
    this.main = new Admin({ ...options, retries: 3, retryDelay: 250 });
    this.probe = new Admin({ ...options, retries: 0 });
  }

  /** Rejects (readably) when no broker answers. */
  async connect(): Promise<void> {
    await this.main.metadata({ topics: [] }).catch((e: unknown) => Promise.reject(readable(e)));
  }

  async call<T>(run: (admin: Admin) => Promise<T>): Promise<T> {
    try {
      return await run(this.main);
    } catch (error) {
      throw readable(error);
    }
  }

  listTopics = (): Promise<string[]> => this.call((a) => a.listTopics());

  /** Every partition's leader, asked once (no retry: the caller's waits decide). */
  async partitions(topics: readonly string[]): Promise<Map<string, PartitionLead[]>> {
    try {
      const m = await this.probe.metadata({ topics: [...topics], forceUpdate: true, retries: 0 });
      const out = new Map<string, PartitionLead[]>();
      // Internal topics come back as undefined, whatever the type says.
      for (const [name, t] of m.topics as Map<string, ClusterTopicMetadata | undefined>)
        if (t !== undefined)
          out.set(
            name,
            t.partitions.map((p) => ({ leader: p.leader, replicas: p.replicas.length })),
          );
      return out;
    } catch (error) {
      const partial = leadsFromAnswer(error);
      if (partial !== null) return partial;
      throw readable(error);
    }
  }

  /** Only the overrides set on each topic (DYNAMIC_TOPIC_CONFIG), not the broker's defaults. */
  async overrides(topics: readonly string[]): Promise<Map<string, Record<string, string>>> {
    const described = await this.call((a) =>
      a.describeConfigs({
        includeSynonyms: false,
        resources: topics.map((resourceName) => ({ resourceType: ConfigResourceTypes.TOPIC, resourceName })),
      }),
    );
    return new Map(
      described.map((r) => [
        r.resourceName,
        Object.fromEntries(
          r.configs
            .filter((c) => c.configSource === ConfigSources.DYNAMIC_TOPIC_CONFIG)
            .map((c) => [c.name, c.value ?? '']),
        ),
      ]),
    );
  }

  /** Whether the leaders answer a ListOffsets for every partition (served like a produce). */
  async served(topic: string, partitions: number): Promise<boolean> {
    try {
      await this.probe.listOffsets({
        topics: [
          {
            name: topic,
            partitions: Array.from({ length: partitions }, (_, i) => ({ partitionIndex: i, timestamp: -1n })),
          },
        ],
      });
      return true;
    } catch (error) {
      if (notServed(error)) return false;
      throw readable(error);
    }
  }

  /** Create a topic (partitions, replicas -1: the broker's default), then wait until each partition has a leader. */
  async createTopic(
    name: string,
    partitions: number,
    replicas = -1,
    config: Readonly<Record<string, string>> = {},
  ): Promise<void> {
    await this.call((a) =>
      a.createTopics({
        topics: [{ topic: name, partitions, replicas }],
        configs: Object.entries(config).map(([n, value]) => ({ name: n, value })),
      }),
    );
    await retry(
      async () => {
        const led = (await this.partitions([name])).get(name) ?? [];
        if (led.length < partitions || led.some((p) => p.leader < 0))
          throw new NoLeaderYet(`${name}: not every partition has a leader yet`);
      },
      { ...SETTLE, what: `a leader on every partition of the new topic ${name}`, retryable: settling },
    );
  }

  deleteTopic = (name: string): Promise<void> => this.call((a) => a.deleteTopics({ topics: [name] }));

  async close(): Promise<void> {
    await Promise.all([this.main.close(), this.probe.close()]);
  }
}
