import { CRITERIA, type Bound, type Criterion } from './criteria.js';

export type Status = 'PASS' | 'FAIL' | 'NOT MEASURED';

/** What a probe saw for one criterion. */
export type Observation =
  /** A figure, judged against the criterion's bound. */
  | {
      readonly kind: 'value';
      readonly value: number;
      readonly unit: string;
      readonly how: string;
      readonly fix?: string;
    }
  /** A yes/no finding with what shows it. */
  | {
      readonly kind: 'fact';
      readonly holds: boolean;
      readonly detail: string;
      readonly how: string;
      readonly fix?: string;
    }
  /** Not measured, and why; `byChoice` when the user chose it (a flag, the target). */
  | { readonly kind: 'absent'; readonly reason: string; readonly byChoice?: boolean }
  /** The probe could not get an answer (timeout, refused): a FAIL with the cause. */
  | { readonly kind: 'error'; readonly reason: string; readonly fix: string; readonly how?: string };

export type Observations = Readonly<Partial<Record<string, Observation>>>;

/** One observation for several criteria (a probe that could not run says so for each it serves). Pure. */
export const sameFor = (ids: readonly string[], obs: Observation): Observations =>
  Object.fromEntries(ids.map((id) => [id, obs]));

export interface Finding {
  readonly id: string;
  readonly requirement: string;
  readonly text: string;
  readonly status: Status;
  /** What was seen, or why nothing was. */
  readonly evidence: string;
  readonly measured?: { readonly value: number; readonly unit: string };
  readonly bound?: Bound;
  /** How it was measured: the query, the command. */
  readonly how?: string;
  /** For a FAIL: the command that fixes or investigates it. */
  readonly fix?: string;
  readonly byChoice?: boolean;
  /**
   * Not measurable by any run of validate (weeks of uptime, another developer's machine), or a
   * nice-to-have Foundation does not offer: said, as such, and not held against the verdict.
   */
  readonly beyondReach?: 'beyond validate' | 'not offered';
}

/**
 * Criteria no run of validate can measure, and why (the requirements say so of uptime: "not measurable in
 * one run"), and the nice-to-have Foundation does not offer. Reported, never held against the verdict:
 * otherwise it could never be PASS.
 */
export const NOT_MEASURABLE: Readonly<
  Record<string, { readonly reason: string; readonly label: 'beyond validate' | 'not offered' }>
> = {
  'REQ-0.1/M3': { reason: 'uptime over weeks cannot be measured in one run', label: 'beyond validate' },
  'REQ-0.6/AC5': {
    reason: 'secret reload without restart is a nice-to-have Foundation does not offer',
    label: 'not offered',
  },
  'REQ-0.7/AC4': {
    reason: 'a second developer on another OS cannot be observed from this machine',
    label: 'beyond validate',
  },
};

export const holds = (b: Bound, value: number): boolean =>
  b.op === '<'
    ? value < b.value
    : b.op === '<='
      ? value <= b.value
      : b.op === '>'
        ? value > b.value
        : b.op === '>='
          ? value >= b.value
          : value === b.value;

/** A figure for humans: ms as s or min, other units as they are. */
export function figure(value: number, unit: string): string {
  if (unit !== 'ms') return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
  if (value < 1_000) return `${Math.round(value)} ms`;
  if (value < 120_000) return `${(value / 1_000).toFixed(1)} s`;
  return `${(value / 60_000).toFixed(1)} min`;
}

export const boundText = (b: Bound): string => `${b.op} ${figure(b.value, b.unit)}`;

/** The first `n` of a list for evidence, then how many more: `a, b, c, and 4 more`. Pure. */
export const firstOf = (items: readonly string[], n: number, separator = ', '): string =>
  `${items.slice(0, n).join(separator)}${items.length > n ? `${separator}and ${items.length - n} more` : ''}`;

/** Judge one criterion from what the probes saw. Pure. */
export function judge(criterion: Criterion, obs: Observation | undefined): Finding {
  const base = {
    id: criterion.id,
    requirement: criterion.requirement,
    text: criterion.text,
    ...(criterion.bound ? { bound: criterion.bound } : {}),
  };
  if (obs === undefined) {
    const beyond = NOT_MEASURABLE[criterion.id];
    return beyond === undefined
      ? { ...base, status: 'NOT MEASURED', evidence: 'no probe reported on this in this run' }
      : { ...base, status: 'NOT MEASURED', evidence: beyond.reason, beyondReach: beyond.label };
  }
  switch (obs.kind) {
    case 'absent':
      return {
        ...base,
        status: 'NOT MEASURED',
        evidence: obs.reason,
        ...(obs.byChoice ? { byChoice: true } : {}),
      };
    case 'error':
      return {
        ...base,
        status: 'FAIL',
        evidence: obs.reason,
        fix: obs.fix,
        ...(obs.how ? { how: obs.how } : {}),
      };
    case 'fact':
      return {
        ...base,
        status: obs.holds ? 'PASS' : 'FAIL',
        evidence: obs.detail,
        how: obs.how,
        ...(!obs.holds && obs.fix ? { fix: obs.fix } : {}),
      };
    case 'value': {
      const measured = { value: obs.value, unit: obs.unit };
      if (criterion.bound === undefined || criterion.bound.unit !== obs.unit)
        return {
          ...base,
          status: 'FAIL',
          evidence: `measured ${figure(obs.value, obs.unit)}, but ${criterion.id} has no bound in ${obs.unit}`,
          measured,
          how: obs.how,
        };
      const ok = holds(criterion.bound, obs.value);
      return {
        ...base,
        status: ok ? 'PASS' : 'FAIL',
        evidence: `${figure(obs.value, obs.unit)} (bound ${boundText(criterion.bound)})`,
        measured,
        how: obs.how,
        ...(!ok && obs.fix ? { fix: obs.fix } : {}),
      };
    }
  }
}

export type Verdict = 'PASS' | 'FAIL' | 'INCOMPLETE';

/**
 * Every criterion judged, in catalogue order; and the verdict: any FAIL fails; anything NOT MEASURED that
 * could have been (not by choice, not beyond any run's reach) leaves it incomplete.
 */
export function judgeAll(observations: Observations): { findings: Finding[]; verdict: Verdict } {
  const findings = CRITERIA.map((criterion) => judge(criterion, observations[criterion.id]));
  const verdict = findings.some((f) => f.status === 'FAIL')
    ? 'FAIL'
    : findings.some((f) => f.status === 'NOT MEASURED' && f.byChoice !== true && f.beyondReach === undefined)
      ? 'INCOMPLETE'
      : 'PASS';
  return { findings, verdict };
}
