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

/**
 * Where `live` differs from `desired`, looking only at what `desired` sets (server-filled defaults are
 * not drift). Returns paths like `spec.hard.pods`. Pure. `secretValues` paths are named, never shown.
 */
export function objectDrift(desired: unknown, live: unknown, path = ''): string[] {
  if (desired === null || typeof desired !== 'object') return desired === live ? [] : [path || '(value)'];
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return [path];
    return desired.flatMap((d, i) => objectDrift(d, live[i], `${path}[${i}]`));
  }
  if (live === null || typeof live !== 'object' || Array.isArray(live)) return [path || '(object)'];
  const l = live as Record<string, unknown>;
  return Object.entries(desired as Record<string, unknown>)
    .filter(([k]) => !VOLATILE.has(k))
    .flatMap(([k, v]) => objectDrift(v, l[k], path ? `${path}.${k}` : k));
}
