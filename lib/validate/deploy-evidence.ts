import { seconds } from '../report/summary.js';
import { DEPLOYS_DIR, healthy, type DeployRecord } from '../deploy/plan.js';
import type { Observation, Observations } from './judge.js';
import { sameFor } from './judge.js';

export const LAST_DEPLOY_FILE = `${DEPLOYS_DIR}/latest.json`;
const IDS = ['REQ-0.5/AC5', 'REQ-0.5/AC6', 'REQ-0.5/AC7', 'REQ-0.5/M2'];
/** A deployment older than this proves nothing of the code as it is now. */
const MAX_AGE_DAYS = 7;

/** The recorded deployment, or null when there is none or it is not one (an old or hand-edited file). Pure. */
export function parseDeployRecord(text: string | null): DeployRecord | null {
  if (text === null) return null;
  try {
    const r = JSON.parse(text) as Partial<DeployRecord>;
    return r.v === 1 && typeof r.service === 'string' && Array.isArray(r.stages) && Array.isArray(r.health)
      ? (r as DeployRecord)
      : null;
  } catch {
    return null;
  }
}

/**
 * REQ-0.5/AC5–AC7 and M2 from the last `foundation deploy` on this target: one command deployed it, its
 * stages were shown as they happened (each timed), its health checks passed, and how long it took; its
 * age said, and one older than a week NOT MEASURED. Pure.
 */
export function deployObservations(record: DeployRecord | null, target: string, nowMs: number): Observations {
  if (record === null)
    return sameFor(IDS, {
      kind: 'absent',
      reason: `no deployment is recorded here: run foundation deploy demo-service (it writes ${LAST_DEPLOY_FILE})`,
    });
  if (record.target !== target)
    return sameFor(IDS, {
      kind: 'absent',
      reason: `the last deployment (${record.service}, ${record.startedAt}) was on ${record.target}, not ${target}`,
    });
  const ageMs = nowMs - Date.parse(record.startedAt);
  const days = Math.floor(ageMs / 86_400_000);
  if (!(ageMs <= MAX_AGE_DAYS * 86_400_000))
    // NaN too: a record without a readable time proves nothing
    return sameFor(IDS, {
      kind: 'absent',
      reason: `the last deployment (${record.service}, ${record.startedAt}) is ${Number.isNaN(days) ? 'of no readable time' : `${days} days old`}: it says nothing of main today; run foundation deploy ${record.service}`,
    });
  const age = days < 1 ? 'today' : `${days} day${days === 1 ? '' : 's'} ago`;
  const how = `foundation deploy ${record.service} on ${record.startedAt}, ${age} (${LAST_DEPLOY_FILE})`;
  const fix = `foundation deploy ${record.service}`;
  const ac5: Observation = {
    kind: 'fact',
    holds: record.ok,
    detail: record.ok
      ? `one command built, loaded and rolled out ${record.image ?? record.service}`
      : `it failed: ${record.error?.message ?? 'no reason recorded'}`,
    how,
    fix: record.error?.fix ?? fix,
  };
  const ac6: Observation = {
    kind: 'fact',
    holds: record.stages.length >= 2,
    detail:
      record.stages.length === 0
        ? 'no stage completed'
        : `each stage shown as it ran, timed: ${record.stages.map((s) => `${s.name} ${seconds(s.ms)}`).join(' · ')}`,
    how,
    fix,
  };
  const ac7: Observation =
    record.health.length === 0
      ? {
          kind: 'fact',
          holds: false,
          detail: 'no health check ran: the deployment stopped before them',
          how,
          fix,
        }
      : {
          kind: 'fact',
          holds: healthy(record.health),
          detail: record.health
            .map(
              (h) =>
                `${h.ok === true ? 'passed' : h.ok === false ? 'FAILED' : 'not checkable'}: ${h.name} (${h.detail})`,
            )
            .join('; '),
          how,
          fix,
        };
  const m2: Observation = record.ok
    ? { kind: 'value', value: record.totalMs, unit: 'ms', how, fix: 'docs/ci.md (deployment)' }
    : { kind: 'absent', reason: 'the last deployment failed, so it has no deployment time' };
  return { 'REQ-0.5/AC5': ac5, 'REQ-0.5/AC6': ac6, 'REQ-0.5/AC7': ac7, 'REQ-0.5/M2': m2 };
}
