/** What `foundation validate` measures that no task needs: the event bus under load, secrets, HTTP. */

export interface BusPerf {
  readonly sent: number;
  readonly received: number;
  /** Messages per second produced and consumed end to end (first send → last receive). */
  readonly msgPerSec: number;
  /** 95th percentile of send → receive latency, per message. */
  readonly p95Ms: number;
}

export interface BusFanout {
  /** Messages each consumer group received of the one event published (one per group expected). */
  readonly received: readonly number[];
  /** A group that joined only after the event was published still received it. */
  readonly lateReceived: boolean;
}

/** The event bus, probed with real traffic on a topic made for the probe and deleted after. */
export interface BusProbe {
  perf(brokers: readonly string[], o: { count: number; size: number; timeoutMs: number }): Promise<BusPerf>;
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

/** Plain HTTP GET with a time limit (a timeout or refusal rejects with the reason). */
export interface HttpProbe {
  get(url: string, timeoutMs: number): Promise<HttpAnswer>;
}
