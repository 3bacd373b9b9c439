/** What `foundation validate` measures that no task needs: the event bus under load, secrets, HTTP. */

/** What the load measurement found: producer throughput flat out, then latency at a fixed rate. */
export interface BusPerf {
  /** Messages produced flat out (acks=all, idempotent) and how fast. */
  readonly sent: number;
  readonly msgPerSec: number;
  /** Produce → consume latency at a fixed rate, per message (ms). */
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Latency samples taken, and how many the fixed rate should have given. */
  readonly samples: number;
  readonly expectedSamples: number;
}

/** How much load, at most: `count` flat out, then `rate` msg/s for `warmupMs` + `recordMs`. */
export interface BusLoad {
  readonly count: number;
  readonly size: number;
  readonly rate: number;
  readonly warmupMs: number;
  readonly recordMs: number;
  readonly timeoutMs: number;
}

export interface BusProducer {
  send(topic: string, messages: readonly { key?: string; value: string }[]): Promise<void>;
  close(): Promise<void>;
}

/** Which group a consumer joins, and where a group without a committed offset starts. */
export interface BusConsumerOptions {
  /** Default: a new group of its own. */
  readonly groupId?: string;
  /** `latest` (default): what arrives after it joined; `earliest`: from the start of the topic. */
  readonly from?: 'latest' | 'earliest';
}

/**
 * A Kafka client as the probes and measurements use it (@platformatic/kafka by default, kafkajs with
 * KAFKA_CLIENT=kafkajs; the bench measures both through this).
 */
export interface BusClient {
  readonly name: string;
  /** Idempotent, acks=all. */
  producer(): Promise<BusProducer>;
  /** A consumer of `topic` (committing as it goes); `onValue` gets every message value. */
  consumer(
    topic: string,
    onValue: (value: string) => void,
    options?: BusConsumerOptions,
  ): Promise<{ close(): Promise<void> }>;
}

export interface BusFanout {
  /** Messages each consumer group received of the first event published (one per group expected). */
  readonly received: readonly number[];
  /**
   * The last group, offline (closed) when the second event was published, received it on coming back
   * from its committed offset (it rejoins asking for `latest`: without its commit it would miss it).
   */
  readonly offlineReceived: boolean;
  /** Messages the returning group got again that it had before going offline (at-least-once allows some). */
  readonly redelivered: number;
}

/** A message written to prove persistence: where it is and what it says. */
export interface BusMark {
  readonly topic: string;
  readonly value: string;
}

/** The event bus, probed with real traffic on a topic made for the probe and deleted after. */
export interface BusProbe {
  /** Write one message (acks=all) on a topic of its own, kept until `readBack`. */
  mark(brokers: readonly string[]): Promise<BusMark>;
  /** Read the marked message back from the start of its topic (false when it is not there), then delete the topic. */
  readBack(brokers: readonly string[], mark: BusMark, o: { timeoutMs: number }): Promise<boolean>;
  /** The client the load measurements drive (lib/validate/bus-measure.ts, also `npm run bench -- kafka`). */
  client(brokers: readonly string[]): BusClient;
  /** A topic of its own for a measurement; `drop` deletes it. */
  scratchTopic(
    brokers: readonly string[],
    partitions: number,
  ): Promise<{ readonly name: string; drop(): Promise<void> }>;
  fanout(brokers: readonly string[], o: { groups: number; timeoutMs: number }): Promise<BusFanout>;
}

/** A secret scan of a git repository (gitleaks); null when the scanner is not installed. */
export interface SecretScan {
  scan(dir: string): Promise<{ readonly findings: number; readonly files: readonly string[] } | null>;
}

export interface HttpAnswer {
  readonly status: number;
  readonly ms: number;
  readonly body: string;
}

/** A stream being read (server-sent events): what arrived so far can be waited on. */
export interface HttpWatch {
  /** Milliseconds from opening until `text` arrived, or null when it did not within `timeoutMs`. */
  seen(text: string, timeoutMs: number): Promise<number | null>;
  close(): void;
}

/** Plain HTTP with a time limit (a timeout or refusal rejects with the reason). */
export interface HttpProbe {
  get(url: string, timeoutMs: number, headers?: Readonly<Record<string, string>>): Promise<HttpAnswer>;
  /** POST a JSON body. */
  post(
    url: string,
    json: unknown,
    timeoutMs: number,
    headers?: Readonly<Record<string, string>>,
  ): Promise<HttpAnswer>;
  /** Open a streaming GET (e.g. `text/event-stream`); rejects when the server does not answer 200. */
  watch(url: string, timeoutMs: number): Promise<HttpWatch>;
}

/** How one GET went, as `foundation status` shows it: answered (any HTTP status), no answer in time, or refused. */
export type Reach =
  | { readonly kind: 'answered'; readonly status: number; readonly ms: number }
  | { readonly kind: 'timeout'; readonly ms: number }
  | { readonly kind: 'failed'; readonly reason: string; readonly ms: number };

/**
 * One GET with a time limit that never throws. Names under `.localhost` resolve to loopback as browsers
 * and curl resolve them (RFC 6761), whatever the system resolver says.
 */
export interface ReachProbe {
  reach(url: string, timeoutMs: number): Promise<Reach>;
}
