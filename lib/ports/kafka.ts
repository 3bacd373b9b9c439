/** A topic as declared in k8s/redpanda/topics.yaml. */
export interface DesiredTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level configs (retention.ms, cleanup.policy, …) as strings, the way the Kafka API carries them. */
  readonly config: Readonly<Record<string, string>>;
}

/** A topic as the broker describes it. */
export interface ActualTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Only the overrides set on the topic (not broker defaults). */
  readonly config: Readonly<Record<string, string>>;
  /**
   * Partitions without a leader that serves them: no leader in the metadata (-1), or a leader that does
   * not answer for the partition yet (a produce there would fail with "does not host this topic-partition").
   */
  readonly leaderless: number;
}

/** What the reconciler needs from a Kafka API (@platformatic/kafka behind lib/adapters/kafka-admin.ts; fakes in tests). */
export interface TopicAdmin {
  /**
   * Every topic on the broker. Whether the leaders serve each partition is asked of them (one ListOffsets
   * per topic) for the topics named in `served` only; for the others `leaderless` counts just the
   * partitions without a leader in the metadata.
   */
  describe(served: readonly string[]): Promise<ActualTopic[]>;
  /**
   * `exists` when the broker answers that the topic is there already: another client created it after the
   * reconciler looked (a second run, an operator, a broker whose metadata had not caught up yet).
   */
  create(topic: DesiredTopic): Promise<'created' | 'exists'>;
  /** Replace the topic's overrides with exactly these. */
  setConfig(topic: string, config: Readonly<Record<string, string>>): Promise<void>;
  addPartitions(topic: string, count: number): Promise<void>;
  delete(topic: string): Promise<void>;
}

/** The Kafka API (Redpanda, Kafka): topic administration. Close what you connect. */
export interface KafkaApi {
  connect(brokers: readonly string[]): Promise<TopicAdmin & { close(): Promise<void> }>;
}
