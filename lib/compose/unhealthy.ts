// After a failed `docker compose up --wait`: which services are not healthy, with their last log lines,
// so the error shows why (a crash, a port in use, a missing setting) instead of Compose's one line.
import { FoundationError } from '../errors.js';
import type { ComposeProject, ComposeService, TaskContext } from '../model/context.js';

/** How many of each unhealthy service's last log lines the error shows. */
const LOG_LINES = 15;

/**
 * The error to throw: E_NOT_CONVERGED naming each service not running or not healthy, with its last log
 * lines; the original error when Compose cannot say (it is not answering either) or every service is fine.
 */
export async function unhealthyServices(
  ctx: TaskContext,
  project: ComposeProject,
  cause: unknown,
  o: { what: string; fix: string },
): Promise<Error> {
  let bad: ComposeService[];
  try {
    bad = (await ctx.compose.ps(project)).filter(
      (s) => s.state !== 'running' || (s.health !== '' && s.health !== 'healthy'),
    );
  } catch {
    return cause instanceof Error ? cause : new Error(String(cause));
  }
  if (bad.length === 0) return cause instanceof Error ? cause : new Error(String(cause));
  const parts = await Promise.all(
    bad.map(async (s) => {
      const log = await ctx.compose.logs(project, s.service, LOG_LINES).catch(() => '(no logs)');
      const state = s.state === 'running' ? s.health : s.state;
      return `${s.service} is ${state}; its last log lines:\n${log.replace(/^/gm, '    ')}`;
    }),
  );
  return new FoundationError(
    'E_NOT_CONVERGED',
    `${o.what} did not become healthy:\n${parts.join('\n')}`,
    o.fix,
  );
}
