// Splitting the test files across CI jobs (`FOUNDATION_TEST_SHARD=2/3`): each file to the shard with the
// least expected time so far, slowest files first, so shards finish close together. Pure.

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * Seconds each file's process took in a warm `.ci/run` on 2 cores, three files at a time, beside two busy
 * loops (2026-11-28: the runner keeps every file's time in .foundation/ci/last-test-run.json, fileSeconds).
 * Keyed by tier and name (unit/ and integration/ both have a generator.test.js). Files not listed: 5 s.
 * Refresh when they drift.
 */
const EXPECTED_S: Readonly<Record<string, number>> = {
  'integration/template-kit.test.js': 138,
  'integration/foundation-all-compose.test.js': 118,
  'integration/foundation-all.test.js': 111,
  'integration/cluster-stack.test.js': 105,
  'integration/image-build.test.js': 84,
  'integration/compose-platform.test.js': 80,
  'integration/generator.test.js': 58,
  'integration/template-bus-contract.test.js': 57,
  'integration/ci-tools.test.js': 47,
  'integration/cluster-tasks.test.js': 41,
  'integration/event-bus.test.js': 37,
  'integration/validate.test.js': 35,
  'integration/demo-broker-away.test.js': 30,
  'integration/test-servers.test.js': 24,
  'cli/hostile-input.test.js': 19,
  'integration/validate-e2e.test.js': 16,
  'integration/demo.test.js': 14,
  'cli/cli.test.js': 12,
  'integration/wait-for-infra.test.js': 9,
  'cli/test-runner.test.js': 9,
  'integration/rules.test.js': 9,
  'integration/kafka.test.js': 7,
};

/** A file's expected time, from its last two path segments (`…/integration/generator.test.js`). */
export function expectedSeconds(file: string): number {
  return EXPECTED_S[file.split(/[\\/]/).slice(-2).join('/')] ?? 5;
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
  const weight = expectedSeconds;
  const load = Array.from({ length: shard.count }, () => 0);
  const owner = new Map<string, number>();
  for (const f of [...files].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b))) {
    const i = load.indexOf(Math.min(...load));
    load[i] = (load[i] ?? 0) + weight(f);
    owner.set(f, i);
  }
  return files.filter((f) => owner.get(f) === shard.index - 1);
}
