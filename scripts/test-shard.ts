// Splitting the test files across CI jobs (`FOUNDATION_TEST_SHARD=2/3`): each file to the shard with the
// least expected time so far, slowest files first, so shards finish close together. Pure.
// Within a run the files start in path order: started slowest first (2026-11-28, one warm CI run) the
// heavy files ran side by side and each took longer (the control-plane stack 169 → 230 s, the image build
// 123 → 161 s), for no shorter run (637 s against 600-691 s): on 2 cores the run is CPU-bound (95-97 %
// busy), so what it takes is the files' CPU, whatever their order.

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * Seconds each file's process took in a warm `.ci/run` on 2 cores, three files at a time (2026-11-28; the
 * runner keeps every file's time in .foundation/ci/last-test-run.json, fileSeconds).
 * Keyed by tier and name (unit/ and integration/ both have a generator.test.js). Files not listed: 5 s.
 * Refresh when they drift.
 */
const EXPECTED_S: Readonly<Record<string, number>> = {
  'integration/foundation-all-compose.test.js': 202,
  'integration/template-kit.test.js': 175,
  'integration/cluster-stack.test.js': 169,
  'integration/foundation-all.test.js': 141,
  'integration/image-build.test.js': 123,
  'integration/compose-platform.test.js': 87,
  'integration/template-bus-contract.test.js': 85,
  'integration/cluster-tasks.test.js': 65,
  'integration/ci-tools.test.js': 57,
  'integration/event-bus.test.js': 56,
  'integration/demo-broker-away.test.js': 53,
  'integration/generator.test.js': 50,
  'integration/validate.test.js': 43,
  'integration/test-servers.test.js': 42,
  'cli/hostile-input.test.js': 23,
  'integration/wait-for-infra.test.js': 19,
  'cli/cli.test.js': 17,
  'integration/validate-e2e.test.js': 17,
  'integration/demo.test.js': 15,
  'integration/rules.test.js': 9,
  'cli/flags.test.js': 9,
  'cli/test-runner.test.js': 8,
  'integration/kube-adapter.test.js': 8,
  'integration/compose-adapter.test.js': 8,
  'integration/topics.test.js': 8,
};

/** A file's expected time, from its last two path segments (`…/integration/generator.test.js`). */
export function expectedSeconds(file: string): number {
  return EXPECTED_S[file.split(/[\\/]/).slice(-2).join('/')] ?? 5;
}

const slower = (a: string, b: string): number =>
  expectedSeconds(b) - expectedSeconds(a) || a.localeCompare(b);

/** The files by expected time, the slowest first, then by path. */
export function slowestFirst(files: readonly string[]): string[] {
  return [...files].sort(slower);
}

/** `i/n` with 1 <= i <= n, or an error saying what is expected. */
export function parseShard(text: string): Shard | { error: string } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count)
    return { error: `FOUNDATION_TEST_SHARD must be i/n with 1 <= i <= n (e.g. 2/3), not "${text}"` };
  return { index, count };
}

/** The files of one shard, in their original order. Every file lands in exactly one shard. */
export function pickShard(files: readonly string[], shard: Shard): string[] {
  const load = Array.from({ length: shard.count }, () => 0);
  const owner = new Map<string, number>();
  for (const f of slowestFirst(files)) {
    const i = load.indexOf(Math.min(...load));
    load[i] = (load[i] ?? 0) + expectedSeconds(f);
    owner.set(f, i);
  }
  return files.filter((f) => owner.get(f) === shard.index - 1);
}
