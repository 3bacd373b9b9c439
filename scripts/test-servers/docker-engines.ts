// The Docker engines the test servers start share one data root (images and build cache survive runs) and
// one bridge. Two at once cannot work: the second waits on the first's locked metadata database and dies,
// and either one's clean-up deletes the bridge under the other. Who else runs one is read from /proc.
import { readFileSync, readdirSync } from 'node:fs';

/** The pids of running dockerd processes started with `--data-root=<dataRoot>`, except `self`. */
export function enginesOn(dataRoot: string, self: number | null = null): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return []; // no procfs: nothing to tell
  }
  return entries.flatMap((entry) => {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === self) return [];
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      return argv[0]?.endsWith('dockerd') === true && argv.includes(`--data-root=${dataRoot}`) ? [pid] : [];
    } catch {
      return []; // gone meanwhile, or not ours to read
    }
  });
}

/** Where a test engine keeps its run directory: its --pidfile's folder (to name the stop command). */
export function runDirOf(pid: number): string | null {
  try {
    const flag = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .find((a) => a.startsWith('--pidfile='));
    return flag === undefined ? null : flag.slice('--pidfile='.length).replace(/\/docker\/dockerd\.pid$/, '');
  } catch {
    return null;
  }
}
