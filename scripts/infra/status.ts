// scripts/infra-status: each service of the Compose platform (state, health) and whether it matches the
// configuration rendered from k8s/ (task 0-7's check: drift by service and setting).
//   --workspace <d> the workspace whose .env and settings apply (default: the git repository around the current folder)
//   --json          the same as one versioned JSON line ({"v":1,"type":"infra-status","services":…,"check":…})
// Exit: 0 running as configured, 3 drift or not running, 4 blocked (no engine, no Compose).
import { formatTable } from '../../lib/ui/table.js';
import { scriptArgs } from '../args.js';
import { EXIT } from '../../lib/report/exit-codes.js';
import { jsonLine } from '../../lib/report/json-line.js';
import compose from '../../tasks/07-compose.js';
import { runScript } from '../run-script.js';
import { infraWorld, renderedProject } from './world.js';

async function main(): Promise<number> {
  const { values } = scriptArgs(
    { options: { workspace: { type: 'string' }, json: { type: 'boolean', default: false } } },
    `Usage: scripts/infra-status [--json] [--workspace <dir>]

Each service of the Compose platform (state, health) and whether it matches the configuration rendered
from k8s/ (task 0-7's check). --json: one line, {"v":1,"type":"infra-status","services":[…],"check":{…}}.
Exit: 0 running as configured, 3 drift or not running, 4 blocked (no engine, no Compose).`,
  );
  const { ctx, redactor } = infraWorld(values.workspace);
  const p = await renderedProject(ctx);
  const services = p === null ? [] : await ctx.compose.ps(p.project);
  const check = await compose.check(ctx);
  const code = check.status === 'ok' ? EXIT.ok : check.status === 'blocked' ? EXIT.taskFailed : EXIT.drift;
  if (values.json) {
    process.stdout.write(redactor.redact(jsonLine('infra-status', { services, check })));
    return code;
  }
  const out: string[] = [];
  if (services.length === 0) out.push('no container of the Compose platform exists');
  out.push(...formatTable(services.map((s) => [s.service, s.state, s.health || '-'])));
  if (check.status === 'ok') out.push(`ok: ${check.detail ?? ''}`);
  else {
    out.push(`${check.status}: ${check.reason}`);
    if ('diff' in check && check.diff) out.push(...check.diff.split('\n').map((l) => `  ${l}`));
    if ('hint' in check) out.push(`fix: ${check.hint}`);
    else out.push('fix: scripts/infra-up (foundation run 0-7 --target compose)');
  }
  process.stdout.write(`${redactor.redact(out.join('\n'))}\n`);
  return code;
}

await runScript('infra-status', main);
