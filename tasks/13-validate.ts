import { defineTask } from '../lib/model/task.js';
import { reportState } from '../lib/validate/freshness.js';
import { validatePlatform } from '../lib/validate/run.js';

/**
 * 0-13: the Phase 0 completion report. Converged when the last report stands (no FAIL, nothing changed
 * since); apply measures everything again and writes a new one. `foundation validate` runs its apply alone.
 */
export default defineTask({
  id: '0-13',
  title: 'Validate: the Phase 0 completion report',
  deps: ['0-1', '0-2', '0-3', '0-4', '0-5', '0-6', '0-7', '0-8', '0-9', '0-10', '0-11', '0-12', '0-14'],
  hint: 'open .foundation/reports/latest/phase0-report.md: every FAIL names its cause and fix (docs/validation.md)',
  // The other tasks' checks, the end-to-end probe's waits, bounded load, and restarts when asked.
  timeoutMs: 25 * 60_000,
  // Inside a run, the store's runs include this one as far as it has gone (lib/commands/run-so-far.ts):
  // a dependency that changed earlier in the same run makes the last report stale.
  check(ctx) {
    return Promise.resolve(
      reportState(ctx.validation.store.latest(), ctx.validation.store.runs(), ctx.target),
    );
  },
  async apply(ctx) {
    const { report, where } = await validatePlatform(ctx);
    const c = report.counts;
    ctx.log.info(
      `${report.verdict}: ${c.PASS} PASS, ${c.FAIL} FAIL, ${c['NOT MEASURED']} NOT MEASURED — ${where}/phase0-report.md`,
    );
  },
});
