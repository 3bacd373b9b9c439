import type { DesiredTopic, TopicAdmin } from '../ports/kafka.js';
import type { TopicChange, TopicPlan } from './plan.js';
import { planTopics } from './plan.js';

export type { TopicAdmin } from '../ports/kafka.js';

export interface ReconcileResult {
  readonly plan: TopicPlan;
  readonly applied: readonly TopicChange[];
  /** What is still different afterwards (should be empty, or manual drift only). */
  readonly after: TopicPlan;
}

async function apply(admin: TopicAdmin, change: TopicChange): Promise<void> {
  switch (change.kind) {
    case 'create':
      return admin.create(change.topic);
    case 'alter-config':
      return admin.setConfig(change.topic, change.config);
    case 'add-partitions':
      return admin.addPartitions(change.topic, change.to);
    case 'delete':
      return admin.delete(change.topic);
  }
}

/** Plan, apply each change (unless dryRun), then describe again to prove the result. */
export async function reconcileTopics(
  admin: TopicAdmin,
  desired: readonly DesiredTopic[],
  options: { prune?: boolean; dryRun?: boolean } = {},
): Promise<ReconcileResult> {
  const plan = planTopics(desired, await admin.describe(), options);
  if (options.dryRun) return { plan, applied: [], after: plan };
  const applied: TopicChange[] = [];
  for (const change of plan.changes) {
    await apply(admin, change);
    applied.push(change);
  }
  const after = applied.length === 0 ? plan : planTopics(desired, await admin.describe(), options);
  return { plan, applied, after };
}
