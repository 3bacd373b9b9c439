/** Fields the server sets: never drift. */
const VOLATILE = new Set([
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'managedFields',
  'status',
  'selfLink',
]);

/** A field that differs: its path (`spec.hard.pods`) and both values as found. */
export interface FieldDrift {
  readonly path: string;
  readonly want: unknown;
  readonly have: unknown;
}

/**
 * Where `live` differs from `desired`, looking only at what `desired` sets (server-filled defaults are
 * not drift), with both values. Lists are compared whole when their lengths differ. Pure.
 */
export function fieldDrift(desired: unknown, live: unknown, path = ''): FieldDrift[] {
  const here = (p: string): FieldDrift[] => [{ path: p, want: desired, have: live }];
  if (desired === null || typeof desired !== 'object') return desired === live ? [] : here(path || '(value)');
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return here(path);
    return desired.flatMap((d, i) => fieldDrift(d, live[i], `${path}[${i}]`));
  }
  if (live === null || typeof live !== 'object' || Array.isArray(live)) return here(path || '(object)');
  const l = live as Record<string, unknown>;
  return Object.entries(desired as Record<string, unknown>)
    .filter(([k]) => !VOLATILE.has(k))
    .flatMap(([k, v]) => fieldDrift(v, l[k], path ? `${path}.${k}` : k));
}

/** Where `live` differs from `desired`: the paths only (see fieldDrift). Pure. */
export function objectDrift(desired: unknown, live: unknown): string[] {
  return fieldDrift(desired, live).map((d) => d.path);
}

const LIMIT = 120;

/** A value as drift data shows it: short text, null when absent, `***` for anything secret. Pure. */
export function shownValue(value: unknown, secret: boolean): string | null {
  if (value === undefined || value === null) return null;
  if (secret) return '***';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > LIMIT ? `${text.slice(0, LIMIT - 1)}…` : text;
}
