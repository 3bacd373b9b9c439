// What a package's `npm test` depends on, as one fingerprint. Task 0-10 runs the demo's tests in apply and
// keeps the fingerprint they passed with; a check that finds the same inputs reads that instead of running
// the suite again (go-task's `sources` checksum, for a test suite). Pure.
import { createHash } from 'node:crypto';

/** Installs, at any depth (what npm installed is read from its lockfile, not file by file). */
const INSTALLS = 'node_modules';
/** Top-level folders of outputs (the build, coverage) or of tools (.git, .foundation): not inputs. */
const TOP_OUTPUTS: ReadonlySet<string> = new Set(['dist', 'coverage']);

/** Whether a folder is walked for inputs: `top` when it is directly in the package. */
export const isInputFolder = (name: string, top: boolean): boolean =>
  name !== INSTALLS && !(top && (TOP_OUTPUTS.has(name) || name.startsWith('.')));

/**
 * The variables that change what a test run does: CI turns a skip into a failure; Node's options, mode
 * and time zone change the run; npm's ignore-scripts skips the build before the tests (pretest); and the
 * template's tests find their broker and databases by KAFKA_CONTRACT_*, KAFKA_RESTART_* and TEST_* (a suite
 * with a broker runs tests one without skips). Sorted by name.
 */
const TEST_VARIABLE =
  /^(CI|NODE_OPTIONS|NODE_ENV|TZ|KAFKA_(CONTRACT|RESTART)_[A-Z0-9_]+|TEST_[A-Z0-9_]+|npm_config_(ignore_scripts|node_options|script_shell))$/i;

export function testEnv(env: Readonly<Record<string, string | undefined>>): [string, string][] {
  return Object.entries(env)
    .filter((e): e is [string, string] => TEST_VARIABLE.test(e[0]) && e[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface TestInputs {
  /**
   * Every input file by its path in the package (forward slashes) and the SHA-256 of its content (a
   * symbolic link by what it points to: `link:` and the target when that is not a readable file).
   */
  readonly files: readonly { readonly path: string; readonly sha256: string }[];
  /** node_modules/.package-lock.json (what npm installed), null when nothing is installed. */
  readonly installed: string | null;
  /** `node -v` of the Node.js that runs the tests. */
  readonly node: string;
  readonly env: readonly (readonly [string, string])[];
}

export const sha256 = (content: string | Buffer): string =>
  createHash('sha256').update(content).digest('hex');

/** One hex fingerprint of the inputs, whatever order the files were listed in. */
export function fingerprint(inputs: TestInputs): string {
  const files = [...inputs.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return sha256(
    JSON.stringify({
      v: 1,
      files: files.map((f) => [f.path, f.sha256]),
      installed: inputs.installed === null ? null : sha256(inputs.installed),
      node: inputs.node,
      env: inputs.env,
    }),
  );
}
