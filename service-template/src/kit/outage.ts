// When a dependency's outage is worth a log line: a warning at its first failure, a line when it ends
// (only for an outage that was warned about), and at most one warning per quiet interval, so a dependency
// that is down under load, or flaps, does not write a line per call. Pure: the parts that use it (the
// Redis cache, the auth keys) say what the lines carry.

export interface OutageWarning {
  /** Outages that began and ended inside quiet intervals since the last warning (absent when none). */
  readonly outagesNotLogged?: number;
}

export interface OutageEnd {
  /** From the outage's first failure to its end. */
  readonly downMs: number;
  /** The failures recorded during the outage. */
  readonly failures: number;
}

export interface Outage {
  /** True from a failure until the next `ended()`. */
  readonly down: boolean;
  /** Records a failure; returns the warning's fields when this failure is to be warned about. */
  failed(): OutageWarning | undefined;
  /** The dependency answers again; returns the outage's figures when its end is to be logged. */
  ended(): OutageEnd | undefined;
}

export interface OutageOptions {
  /**
   * At most one warning per this interval (default one minute). An outage that begins sooner after the
   * last warning is warned about at its first failure once the interval has passed, never left unlogged
   * however long it lasts.
   */
  readonly quietMs?: number;
  readonly now?: () => number;
}

export function outage(options: OutageOptions = {}): Outage {
  const now = options.now ?? Date.now;
  const quietMs = options.quietMs ?? 60_000;
  let down = false;
  let warned = false;
  let since = 0;
  let failures = 0;
  let lastWarned = -Infinity;
  let unwarned = 0;
  return {
    get down() {
      return down;
    },
    failed() {
      const at = now();
      if (!down) {
        down = true;
        warned = false;
        since = at;
        failures = 0;
      }
      failures += 1;
      if (warned || at - lastWarned < quietMs) return undefined;
      const warning = unwarned > 0 ? { outagesNotLogged: unwarned } : {};
      warned = true;
      lastWarned = at;
      unwarned = 0;
      return warning;
    },
    ended() {
      if (!down) return undefined;
      down = false;
      if (!warned) {
        unwarned += 1;
        return undefined;
      }
      return { downMs: Math.round(now() - since), failures };
    },
  };
}
