import { readFileSync, readdirSync } from 'node:fs';

/** Send a signal to every process of a group; a group already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* ESRCH: nothing left in it */
  }
}

/** Whether any process, zombies included, is still in the group. Cheap: no look at each process. */
export function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // there, but not ours to signal
  }
}

/** Linux: the process groups with a running process; zombies have ended (they only wait to be reaped). */
function linuxRunningGroups(): Set<number> | null {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return null;
  }
  const groups = new Set<number>();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // ended while we looked
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last ')'.
    const [state = 'X', , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state !== 'Z' && state !== 'X') groups.add(Number(pgrp));
  }
  return groups;
}

/**
 * Which of these process groups still have a running process (one look at the process table for all).
 * A group of zombies has ended: an orphan's zombie stays until init reaps it, and some inits
 * (containers, micro-VMs) never do. Elsewhere than Linux a group is running while it exists.
 */
export function runningGroups(pgids: readonly number[]): Set<number> {
  const existing = pgids.filter(groupExists);
  if (existing.length === 0 || process.platform !== 'linux') return new Set(existing);
  const running = linuxRunningGroups();
  return running === null ? new Set(existing) : new Set(existing.filter((g) => running.has(g)));
}
