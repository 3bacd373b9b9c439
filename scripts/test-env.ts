// The environment every test process gets from the test runner: the developer's settings for Foundation,
// git and the platform's servers removed, a clean HOME with a git config of its own, a temporary directory
// of the run's own (TMPDIR), and the caches that make a run fast kept where they are. Pure: tested with plain data (tests/unit/test-env.test.ts).
import { join } from 'node:path';

export interface HermeticOptions {
  /** The run's own HOME (empty but for the git config). */
  readonly home: string;
  /** The developer's HOME: where the download caches are found. */
  readonly realHome: string;
  /** The run's own temporary directory (TMPDIR): what the tests leave there goes with it. */
  readonly scratch: string;
  /** Where builds kept between runs live (the generated services', the demo's): the machine's temp dir. */
  readonly builds: string;
  /** Every variable Foundation reads (settings and process variables). */
  readonly productVariables: readonly string[];
  /** The variables that point the suite at servers of your own (KAFKA_BROKERS, PROMETHEUS_URL, …). */
  readonly serverVariables: readonly string[];
}

/** Set to 1 to run the suite against the servers your environment points at (and write to them). */
export const USE_EXTERNAL = 'FOUNDATION_TEST_USE_EXTERNAL';

/** Variables of the runner and the harness itself (and every other FOUNDATION_TEST_…), passed through. */
const RUNNER_VARIABLES = new Set([
  'CI',
  'FOUNDATION_CACHE',
  'FOUNDATION_CI_STARTED',
  'FOUNDATION_CHARTS_DIR',
]);
const isRunnerVariable = (name: string): boolean =>
  RUNNER_VARIABLES.has(name) || name.startsWith('FOUNDATION_TEST_');

/** Families read by tools the tests drive: their own settings, the developer's git identity and signing. */
const STRIPPED_PREFIXES = ['FOUNDATION_', 'HELM_', 'OTEL_', 'GIT_', 'KUBE', 'DOCKER_', 'XDG_CONFIG'];

/** The git config every test process sees instead of the developer's: an identity, nothing signed. */
export const TEST_GIT_CONFIG = `[user]
\tname = Foundation Test
\temail = test@foundation.invalid
[commit]
\tgpgsign = false
[tag]
\tgpgsign = false
`;

export function hermeticEnv(
  env: Readonly<Record<string, string | undefined>>,
  o: HermeticOptions,
): Record<string, string> {
  const external = env[USE_EXTERNAL] === '1';
  const product = new Set(o.productVariables);
  const servers = new Set(o.serverVariables);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const keep = servers.has(name)
      ? external
      : isRunnerVariable(name) ||
        (!product.has(name) &&
          name !== 'NO_COLOR' &&
          name !== 'FORCE_COLOR' &&
          !STRIPPED_PREFIXES.some((p) => name.startsWith(p)));
    if (keep) out[name] = value;
  }
  const cache = (name: string, fallback: string): string => env[name] ?? fallback;
  return {
    ...out,
    HOME: o.home,
    TMPDIR: o.scratch,
    FOUNDATION_TEST_BUILDS: o.builds,
    GIT_CONFIG_GLOBAL: join(o.home, '.gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    // The suite runs from a build that must not change under it: the scripts' wrapper (scripts/bootstrap)
    // must not run `npm ci` or rebuild (in a git worktree whose node_modules links to another checkout's,
    // `npm ci` after a package.json change empties that checkout's node_modules).
    FOUNDATION_NO_SETUP: '1',
    // Downloads and builds stay cached where they are: a clean HOME must not mean a cold run.
    FOUNDATION_CACHE: cache('FOUNDATION_CACHE', join(o.realHome, '.cache', 'foundation')),
    npm_config_cache: cache('npm_config_cache', join(o.realHome, '.npm')),
    GOPATH: cache('GOPATH', join(o.realHome, 'go')),
    GOCACHE: cache('GOCACHE', join(o.realHome, '.cache', 'go-build')),
    // Go's collector at 200, not 100, for the Go servers and tools the tests start (the control planes,
    // the Docker engine, helm, kubectl…): the heap may grow to three times the live data instead of two,
    // and a test file with a control plane took 10 % less CPU (cluster-stack: 63.5 / 61.7 → 55.9 / 56.3
    // CPU-seconds). A GOGC of your own is kept.
    GOGC: cache('GOGC', '200'),
  };
}
