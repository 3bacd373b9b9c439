// Command timeouts with one timer instead of one per command. Every command gets the same timeout, so
// deadlines fall in the order commands start: the oldest unsettled one is always the next to expire, and a
// single timer armed for it is enough. Settled entries are dropped when the timer next fires.

export interface Deadline {
  /** True once answered (settle()) or expired. */
  settled: boolean;
  readonly at: number;
  readonly expire: () => void;
}

export class DeadlineQueue {
  readonly #ms: number;
  #items: (Deadline | undefined)[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number) {
    this.#ms = ms;
  }

  /** `expire` runs once, `ms` after `startedAt` (a performance.now()), unless the entry was settled first. */
  add(startedAt: number, expire: () => void): Deadline {
    const deadline: Deadline = { settled: false, at: startedAt + this.#ms, expire };
    this.#items.push(deadline);
    if (this.#timer === undefined) this.#arm(this.#ms);
    return deadline;
  }

  /**
   * The command answered: its expiry will not run. Answers mostly come in order, so the entry is usually the
   * oldest and is dropped at once (entries that lived until a timer fired would be costly to collect).
   */
  settle(deadline: Deadline): void {
    deadline.settled = true;
    this.#drop();
  }

  /** Entries held (in flight, or answered behind one still in flight). */
  get size(): number {
    return this.#items.length - this.#head;
  }

  #drop(): void {
    const items = this.#items;
    while (this.#head < items.length && (items[this.#head] as Deadline).settled) {
      items[this.#head] = undefined;
      this.#head += 1;
    }
    if (this.#head === items.length) {
      items.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1_024) {
      items.splice(0, this.#head);
      this.#head = 0;
    }
  }

  #arm(ms: number): void {
    // Unref'd: a command in flight keeps the process alive through its socket, not through its timeout.
    this.#timer = setTimeout(
      () => {
        this.#sweep();
      },
      Math.max(1, Math.ceil(ms)),
    ).unref();
  }

  #sweep(): void {
    this.#timer = undefined;
    const now = performance.now();
    const items = this.#items;
    for (let i = this.#head; i < items.length; i += 1) {
      const d = items[i] as Deadline;
      if (d.at > now) break;
      if (!d.settled) {
        d.settled = true;
        d.expire();
      }
    }
    this.#drop();
    const next = this.#items[this.#head];
    if (next !== undefined) this.#arm(next.at - now);
  }
}
