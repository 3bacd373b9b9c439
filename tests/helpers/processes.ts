import { setTimeout as sleep } from 'node:timers/promises';
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';

/**
 * Whether a process still runs. A zombie has ended: an orphan's zombie waits for init to reap it, and
 * some inits (containers, micro-VMs) never do.
 */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false; // ESRCH: gone
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

/** The lines a child writes to stdout, as they come; `line(n)` resolves with the n-th (from 0). */
export function lines(child: ChildProcess): { line(n: number): Promise<string>; all: string[] } {
  const all: string[] = [];
  const waiting = new Map<number, (l: string) => void>();
  let rest = '';
  child.stdout?.on('data', (c: Buffer) => {
    const parts = (rest + c.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const l of parts) {
      all.push(l);
      waiting.get(all.length - 1)?.(l);
    }
  });
  return {
    all,
    line: (n) =>
      new Promise((resolve, reject) => {
        const have = all[n];
        if (have !== undefined) {
          resolve(have);
          return;
        }
        waiting.set(n, resolve);
        child.once('close', () => {
          reject(new Error(`the child ended after ${all.length} line(s): ${all.join(' | ')}`));
        });
      }),
  };
}

/** Poll `condition` every 25 ms until it holds (true) or `ms` pass (false): a deadline, never a bare sleep. */
export async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
  return true;
}
