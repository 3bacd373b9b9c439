// Attempt deadlines without a timer each. Attempts given the same timeout expire in the order they started,
// so one list per timeout value, oldest first, with one timer armed for its oldest live entry, is enough
// (Node keeps its own timers the same way; this saves the per-attempt Timeout object, its async context and
// its clearTimeout). Ending an attempt only marks its entry; the list drops marked entries as it advances.

export interface Deadline {
  /** The deadline passed (and `onExpire` ran): the attempt took too long. */
  readonly expired: boolean;
  /** The attempt ended in time: `onExpire` will not run. */
  clear(): void;
}

class Entry implements Deadline {
  expired = false;
  ended = false;
  constructor(
    readonly at: number,
    readonly onExpire: () => void,
  ) {}

  clear(): void {
    this.ended = true;
  }
}

class List {
  entries: Entry[] = [];
  head = 0;
  timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly now: () => number,
    /** Nothing left to wait for: the list can be forgotten (a call may pick any timeout of its own). */
    private readonly onIdle: () => void,
  ) {}

  add(entry: Entry): void {
    this.entries.push(entry);
    if (this.timer === null) this.arm();
  }

  /** Expire what is due, drop what ended, and wait for the oldest live entry (or stop: none left). */
  private readonly tick = (): void => {
    this.timer = null;
    const now = this.now();
    const { entries } = this;
    while (this.head < entries.length) {
      const entry = entries[this.head] as Entry;
      if (!entry.ended && entry.at > now) break;
      this.head += 1;
      if (!entry.ended) {
        entry.ended = true;
        entry.expired = true;
        entry.onExpire();
      }
    }
    this.arm();
  };

  private arm(): void {
    const { entries } = this;
    while (this.head < entries.length && (entries[this.head] as Entry).ended) this.head += 1;
    if (this.head > 0 && this.head * 2 >= entries.length) {
      entries.splice(0, this.head);
      this.head = 0;
    }
    const first = entries[this.head];
    // One timer per list, even if an expiry started another attempt while tick() ran.
    this.disarm();
    if (first === undefined) {
      this.onIdle();
      return;
    }
    // Timers may fire a little before their time as the clock reads it: tick() re-arms for what is left.
    this.timer = setTimeout(this.tick, Math.max(1, Math.ceil(first.at - this.now())));
    this.timer.unref(); // an attempt in flight keeps the process alive through its socket, not this timer
  }

  private disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  stop(): void {
    this.disarm();
    this.entries = [];
    this.head = 0;
  }
}

export interface Deadlines {
  /** Run `onExpire` once `ms` milliseconds have passed, unless the returned deadline is cleared first. */
  start(ms: number, onExpire: () => void): Deadline;
  /** Forget every pending deadline (the client is closing). */
  close(): void;
}

export function deadlines(now: () => number = () => performance.now()): Deadlines {
  const lists = new Map<number, List>();
  return {
    start(ms, onExpire) {
      let list = lists.get(ms);
      if (list === undefined) {
        list = new List(now, () => lists.delete(ms));
        lists.set(ms, list);
      }
      const entry = new Entry(now() + ms, onExpire);
      list.add(entry);
      return entry;
    },
    close() {
      for (const list of lists.values()) list.stop();
      lists.clear();
    },
  };
}
