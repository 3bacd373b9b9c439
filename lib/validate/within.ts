import { orLate } from '../wait/or-late.js';

/** How long a probe may take before it is a FAIL naming what did not answer. */
export const PROBE_TIMEOUT_MS = 15_000;
/** How long one HTTP request of a probe may take (Prometheus, Loki, Tempo, Grafana, the demo). */
export const HTTP_TIMEOUT_MS = 5_000;

/** A probe's answer, or an `error` observation naming what did not answer in time (never a hang). */
export async function within<T>(
  ms: number,
  what: string,
  run: () => Promise<T>,
): Promise<T | { failed: string }> {
  try {
    return await orLate(run(), ms, { failed: `${what} did not answer in ${ms / 1000} s` });
  } catch (error) {
    return { failed: `${what}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
export const failed = (v: unknown): v is { failed: string } =>
  typeof v === 'object' && v !== null && 'failed' in v;
