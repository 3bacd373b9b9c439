// What kafka-consume-test counts: at most --count messages, each committed once counted and no other, and
// nothing after the run ends. No client here: tested with plain data (tests/unit/kafka-scripts.test.ts).

/** One message as the tally needs it: where it was, and how to commit up to it. */
export interface Counted {
  readonly partition: number;
  readonly offset: bigint | number;
  commit(): unknown;
}

export class Tally {
  #received = 0;
  #first = '-';
  #last = '-';
  #stopped = false;
  #commitError: unknown = undefined;
  readonly #commits: Promise<void>[] = [];

  constructor(readonly count: number) {}

  /** Count a message and commit it; false when it is not counted (the run ended or --count is reached). */
  take(message: Counted): boolean {
    if (this.#stopped || this.#received >= this.count) return false;
    this.#received += 1;
    const at = `${message.partition}:${message.offset}`;
    if (this.#first === '-') this.#first = at;
    this.#last = at;
    // Handled at once: a failed commit is said at the end, never an unhandled rejection.
    this.#commits.push(
      Promise.resolve()
        .then(() => message.commit())
        .then(
          () => undefined,
          (error: unknown) => {
            this.#commitError ??= error;
          },
        ),
    );
    if (this.#received >= this.count) this.#stopped = true;
    return true;
  }

  /** The run is over (all arrived, the time ran out, interrupted): later messages are not counted. */
  stop(): void {
    this.#stopped = true;
  }

  /** How many were counted; where the first and the last were (`partition:offset`, '-' before any). */
  get received(): number {
    return this.#received;
  }
  get first(): string {
    return this.#first;
  }
  get last(): string {
    return this.#last;
  }

  get done(): boolean {
    return this.#received >= this.count;
  }

  /** The commits asked for so far, settled; the first failure, if any (undefined: all committed). */
  async committed(): Promise<unknown> {
    await Promise.all(this.#commits);
    return this.#commitError;
  }
}
