// How long `foundation list` takes to start, next to Node's own start (`node -e 0`) measured in turns in
// the same call: list, list without the compile cache, node, list, … so a shared machine's background
// load falls on all three alike, and the ratio says what Foundation adds to Node whatever the machine.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';

export interface StartUp {
  /** Median wall time of `foundation list` (the package's bin, compile cache warm), ms. */
  readonly listMs: number;
  /** The same with NODE_DISABLE_COMPILE_CACHE=1: what the cache saves. */
  readonly listUncachedMs: number;
  /** Median wall time of `node -e 0`, ms. */
  readonly nodeMs: number;
}

/** The median; the mean of the middle two for an even count. Pure. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** The package's bin (package.json "bin".foundation), as `npx foundation` or a global install runs it. */
function bin(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  const path = pkg.bin.foundation;
  if (path === undefined) throw new Error('package.json has no bin "foundation"');
  return join(ROOT, path);
}

function wallMs(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const t = performance.now();
  execFileSync(process.execPath, args, { stdio: 'ignore', env });
  return performance.now() - t;
}

/** `pairs` turns of the three, after one untimed turn (which also fills the compile cache). */
export function measureStartUp(workspace: string, pairs: number): StartUp {
  const list = [bin(), '-C', workspace, 'list'];
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE; // the CLI's own cache directory, as a user gets it
  delete env.NODE_DISABLE_COMPILE_CACHE;
  const uncached = { ...env, NODE_DISABLE_COMPILE_CACHE: '1' };
  const runs = { list: [] as number[], uncached: [] as number[], node: [] as number[] };
  for (let i = -1; i < pairs; i++) {
    const turn = [wallMs(list, env), wallMs(list, uncached), wallMs(['-e', '0'], env)] as const;
    if (i < 0) continue;
    runs.list.push(turn[0]);
    runs.uncached.push(turn[1]);
    runs.node.push(turn[2]);
  }
  return { listMs: median(runs.list), listUncachedMs: median(runs.uncached), nodeMs: median(runs.node) };
}
