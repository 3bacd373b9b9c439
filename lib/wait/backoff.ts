/** How the pauses between attempts grow. */
export interface Backoff {
  /** The first pause. */
  readonly intervalMs: number;
  /** No pause is longer. */
  readonly maxIntervalMs: number;
  /** Each pause is this many times the one before (1: a fixed interval). */
  readonly factor: number;
  /** Up to this fraction (0–1) of each pause is taken off at random, so waiters do not march in step. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: Backoff = { intervalMs: 250, maxIntervalMs: 5_000, factor: 2, jitter: 0.2 };

/**
 * The pause after attempt `attempt` (1, 2, …): intervalMs·factor^(attempt−1), at most maxIntervalMs, less
 * a random part of at most `jitter` of it. Always within [base·(1−jitter), base]. Pure given `random`.
 */
export function backoffDelay(attempt: number, b: Backoff, random: () => number = Math.random): number {
  const base = Math.min(b.maxIntervalMs, b.intervalMs * b.factor ** Math.max(0, attempt - 1));
  const jitter = Math.min(1, Math.max(0, b.jitter));
  const r = Math.min(1, Math.max(0, random()));
  return base * (1 - jitter * r);
}
