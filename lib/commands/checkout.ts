// What `foundation all` records of the workspace it starts from (summary.json's `checkout`): validate
// judges "a fresh clone recreates it" (REQ-0.4/AC5) from the run that started in a fresh clone.
import type { TaskContext } from '../model/context.js';
import type { Checkout } from '../report/summary.js';

/** The checkout as this run finds it; undefined when git cannot say (no repository, no git, an error). */
export async function checkoutOf(ctx: TaskContext, runId: string): Promise<Checkout | undefined> {
  try {
    const tree = await ctx.git.uncommitted();
    if (tree === null) return undefined;
    return {
      head: tree.head,
      uncommitted: tree.paths.length,
      envExisted: await ctx.files.exists('.env'),
      // plans change nothing: a `foundation plan` first still leaves a fresh clone
      firstRun: ctx.validation.store.runs().every((r) => r.runId === runId || r.mode !== 'run'),
    };
  } catch {
    return undefined; // the run goes on; validate then finds no fresh clone in this run
  }
}
