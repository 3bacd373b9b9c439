// Every `--timeout` takes a duration with its unit (`500ms`, `90s`, `2m`, `1h`); a bare number keeps the unit
// each command has always read it in (seconds, or milliseconds for `foundation status`), so nothing
// written before changes meaning.
import { FoundationError } from '../errors.js';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** 1500 → "1.5 s", 120000 → "2 min", 500 → "500 ms". Pure. */
export function spokenDuration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 120_000 || ms % 60_000 !== 0) return `${ms / 1_000} s`;
  return `${ms / 60_000} min`;
}

export interface DurationRule {
  /** What a bare number means. */
  readonly bare: 'ms' | 's';
  readonly minMs: number;
  readonly maxMs: number;
  /** A sensible value, with its unit, for the error's fix (`5m`). */
  readonly example: string;
}

/** `text` (`500ms`, `1.5s`, `2m`, `1h`, or a bare number in `rule.bare`) in ms, within the rule; E_USAGE otherwise. Pure. */
export function parseDuration(flag: string, text: string, rule: DurationRule): number {
  const given = text.trim();
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(given);
  const unit = m?.[2] === undefined ? rule.bare : (m[2] as keyof typeof UNIT_MS);
  const exact = m === null ? Number.NaN : Number(m[1]) * UNIT_MS[unit];
  if (exact >= rule.minMs && exact <= rule.maxMs) return Math.round(exact);
  const range = `from ${spokenDuration(rule.minMs)} to ${spokenDuration(rule.maxMs)}`;
  const bare = rule.bare === 'ms' ? 'milliseconds' : 'seconds';
  // A bare number in range as the other unit: the user meant that unit.
  const other = rule.bare === 'ms' ? 's' : 'ms';
  const meant =
    m !== null &&
    m[2] === undefined &&
    Number(m[1]) * UNIT_MS[other] >= rule.minMs &&
    Number(m[1]) * UNIT_MS[other] <= rule.maxMs;
  throw new FoundationError(
    'E_USAGE',
    `${flag} ${given.slice(0, 40)} is not a duration ${range} (a bare number is ${bare})`,
    meant
      ? `for ${given} ${other === 's' ? 'seconds' : 'milliseconds'}: ${flag} ${given}${other}`
      : `e.g. ${flag} ${rule.example}`,
  );
}
