import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcesses, ChildrenStopped } from '../ports/children.js';
import { groupExists, runningGroups, signalGroup } from './process-group.js';

export const DEFAULT_GRACE_MS = 5_000;
/** How often a settling registry looks again. */
const POLL_MS = 25;
/** How long SIGKILLed groups get to be gone (the kernel's part, and Node reaping its children). */
const AFTER_KILL_MS = 2_000;

interface Entry {
  readonly pgid: number;
  /** The group leader (our direct child) has exited and Node has reaped it. */
  exited: boolean;
  /** SIGTERM was sent to the group (once: a second one could restart a trap's clean-up). */
  termed: boolean;
}

/** The registry, plus what the composition root and the adapters that start processes use. */
export interface ChildRegistry extends ChildProcesses {
  /**
   * child_process.spawn, but the child leads its own process group (detached), which is tracked: when
   * the spawn's signal aborts, SIGTERM goes to the whole group, not only to the child.
   */
  readonly spawn: typeof nodeSpawn;
  /** How many tracked groups still run. */
  running(): number;
  /**
   * Signal every tracked group at once, synchronously, and start no more (a second Ctrl+C just before
   * exiting: SIGKILL; the terminal hanging up: SIGHUP, as the terminal would have sent them).
   */
  killAll(signal?: NodeJS.Signals): void;
}

/**
 * The CLI's child processes, made once per invocation. Each child leads its own process group, so its
 * whole tree (a shell and what it started, even after the shell is gone) is waited for and killed
 * together. Being detached, children do not get the terminal's Ctrl+C themselves: the runner stops them.
 */
export function createChildren(o: { graceMs?: number } = {}): ChildRegistry {
  const entries = new Map<number, Entry>();
  let state: 'open' | 'settling' | 'closed' = 'open';
  // The leader not yet reaped, or any process of its group still running (zombies do not count).
  const running = (list: Iterable<Entry>): Entry[] => {
    const all = [...list];
    const groups = runningGroups(all.filter((e) => e.exited).map((e) => e.pgid));
    return all.filter((e) => !e.exited || groups.has(e.pgid));
  };
  const term = (e: Entry): void => {
    if (e.termed) return;
    e.termed = true;
    signalGroup(e.pgid, 'SIGTERM');
  };

  const track = (child: ChildProcess, signal: AbortSignal | undefined): void => {
    if (child.pid === undefined) return; // it did not start: its 'error' event says why
    const entry: Entry = { pgid: child.pid, exited: false, termed: false };
    entries.set(entry.pgid, entry);
    const onAbort = (): void => {
      term(entry);
    };
    child.once('exit', () => {
      entry.exited = true;
      signal?.removeEventListener('abort', onAbort);
      // Usually the group ended with its leader; what it left behind is looked at when settling.
      if (!groupExists(entry.pgid)) entries.delete(entry.pgid);
    });
    if (state === 'closed') signalGroup(entry.pgid, 'SIGKILL');
    else if (state === 'settling' || signal?.aborted === true) term(entry);
    else signal?.addEventListener('abort', onAbort, { once: true });
  };

  // The one cast: a function with spawn's general signature stands for its overloads (zx passes it on).
  const spawn = ((command: string, args: readonly string[] = [], options: SpawnOptions = {}) => {
    const child = nodeSpawn(command, args, { ...options, detached: true });
    track(child, options.signal);
    return child;
  }) as typeof nodeSpawn;

  return {
    spawn,
    running: () => running(entries.values()).length,
    killAll(signal = 'SIGKILL') {
      state = 'closed';
      for (const e of entries.values()) signalGroup(e.pgid, signal);
    },
    async settle(graceMs = o.graceMs ?? DEFAULT_GRACE_MS): Promise<ChildrenStopped> {
      state = 'settling';
      const seen = new Set<Entry>();
      const left = (): Entry[] => running(seen);
      // Children started while settling (a task's code still running) are told to stop and waited for too;
      // what ended before is forgotten.
      const look = (): Entry[] => {
        const fresh = [...entries.values()].filter((e) => !seen.has(e));
        const live = new Set(running(fresh));
        for (const e of fresh) {
          if (live.has(e)) seen.add(e);
          else entries.delete(e.pgid);
        }
        const pending = left();
        pending.forEach(term);
        return pending;
      };
      let pending = look();
      const deadline = performance.now() + graceMs;
      while (pending.length > 0 && performance.now() < deadline) {
        await sleep(POLL_MS);
        pending = look();
      }
      state = 'closed';
      const killed = pending.length;
      for (const e of pending) signalGroup(e.pgid, 'SIGKILL');
      const until = performance.now() + AFTER_KILL_MS;
      while (left().length > 0 && performance.now() < until) await sleep(POLL_MS);
      const stuck = new Set(left());
      for (const e of seen) if (!stuck.has(e)) entries.delete(e.pgid);
      return { waited: seen.size - killed, killed, graceMs };
    },
  };
}
