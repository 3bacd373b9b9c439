// The kit-against-bare procedure of the HTTP client's and the gRPC part's benches: warm both (2 s each), then short
// rounds in pairs (the order flipped every pair), so a machine that slows down slows both sides alike.
// Each figure a bench prints is then a median over the pairs, or a percentile over every call.

export interface Round {
  readonly rps: number;
  /** CPU µs per call, as the bench's `cpu` clock counts it (its thread, or the whole process). */
  readonly cpuUs: number;
  readonly latencies: number[];
}

export interface PairedRounds {
  /** Calls in flight at once (default 16). */
  readonly concurrency: number;
  /** Calls per round (a round also stops past roundMs, default 1 s). */
  readonly count: number;
  readonly roundMs: number;
  /**
   * How long each side is called before the pairs, in short alternating rounds (default 2 s). grpc-js
   * and undici take thousands of calls to warm: after 1,000 each, two identical gRPC servers measured
   * 162 against 126 µs of CPU per call, and the side with more code to compile (the kit's) read as
   * its overhead; after 2 s each they agreed (76 against 79).
   */
  readonly warmupMs: number;
  readonly pairs: number;
  /** No pair starts past this. */
  readonly budgetMs: number;
  /** process.cpuUsage (client and server in one process) or process.threadCpuUsage (the client's). */
  readonly cpu: (since?: NodeJS.CpuUsage) => NodeJS.CpuUsage;
}

export type Call = () => Promise<unknown>;

async function round(call: Call, count: number, o: PairedRounds): Promise<Round> {
  const latencies: number[] = [];
  let started = 0;
  const cpu0 = o.cpu();
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (started < count && performance.now() - t0 < o.roundMs) {
      started += 1;
      const t = performance.now();
      await call();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const cpu = o.cpu(cpu0);
  return {
    rps: latencies.length / ((performance.now() - t0) / 1_000),
    cpuUs: (cpu.user + cpu.system) / latencies.length,
    latencies,
  };
}

/** Calls in flight unless a bench says otherwise. */
export const DEFAULT_CONCURRENCY = 16;
const DEFAULTS = { concurrency: DEFAULT_CONCURRENCY, roundMs: 1_000, warmupMs: 2_000 };
/** A warm-up round: as long as it takes, never more than this. */
const WARMUP_ROUND_MS = 250;

/** Kit and bare rounds, paired. */
export async function pairedRounds(
  kit: Call,
  bare: Call,
  options: Omit<PairedRounds, keyof typeof DEFAULTS> & Partial<PairedRounds>,
): Promise<{ k: Round; b: Round }[]> {
  const o: PairedRounds = { ...DEFAULTS, ...options };
  const warm = { ...o, roundMs: WARMUP_ROUND_MS };
  for (const until = performance.now() + 2 * o.warmupMs; performance.now() < until;) {
    await round(bare, Number.MAX_SAFE_INTEGER, warm);
    await round(kit, Number.MAX_SAFE_INTEGER, warm);
  }
  const t0 = performance.now(); // the budget is the pairs'
  const pairs: { k: Round; b: Round }[] = [];
  for (let i = 0; i < o.pairs && performance.now() - t0 < o.budgetMs; i += 1) {
    const flip = i % 2 === 1;
    const first = await round(flip ? kit : bare, o.count, o);
    const second = await round(flip ? bare : kit, o.count, o);
    pairs.push(flip ? { k: first, b: second } : { k: second, b: first });
  }
  return pairs;
}

export const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
export const p99 = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)] ?? 0;
export const round2 = (n: number): number => Math.round(n * 100) / 100;
