import type { ErrorInfo } from '../errors.js';
import type { DriftItem } from './task.js';

/**
 * How a task ended.
 * Run mode: ok (already converged), changed, failed, blocked, skipped, cancelled.
 * Plan mode adds: would-change (check found drift), pending-upstream (a dependency would change first).
 */
export const OUTCOMES = [
  'ok',
  'changed',
  'would-change',
  'pending-upstream',
  'failed',
  'blocked',
  'skipped',
  'cancelled',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface TaskResult {
  readonly id: string;
  readonly title: string;
  readonly outcome: Outcome;
  readonly durationMs: number;
  /** Why it ended this way (check reason, blocking dependency, error message). */
  readonly reason?: string;
  /** Plan mode: what would change, when the check could say. */
  readonly diff?: string;
  /** What differed (plan: would change; run: was changed), as data, when the check could say. */
  readonly changes?: readonly DriftItem[];
  /** What the user does next. */
  readonly hint?: string;
  /** For blocked tasks: the id of the task whose failure caused it. */
  readonly rootCause?: string;
  readonly error?: ErrorInfo;
  /** How many times apply ran, also when the task then failed (0 when the check said ok or failed). */
  readonly applies: number;
  /** A dependency outside the selection, checked only (run without --with-deps). */
  readonly gate?: boolean;
}

/** Outcomes that let dependents proceed. */
export function satisfies(outcome: Outcome): boolean {
  return outcome === 'ok' || outcome === 'changed' || outcome === 'skipped';
}
