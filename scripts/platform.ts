// scripts/platform: the everyday verbs behind `task down`, `task logs`, `task reset`, on the configured
// target (FOUNDATION_TARGET, or --target).
//   down [--yes]                 k3d: delete the cluster (asks: its data goes with it); compose: stop the
//                                stack, data kept; cluster: refused (Foundation does not own that cluster)
//   logs <service> [--lines N]   a service's last log lines (compose: docker compose logs; Kubernetes:
//                                kubectl logs of its Deployment in the services namespace)
//   reset [--yes]                delete the platform and its data (k3d cluster / Compose volumes) and
//                                .foundation/runs, reports and deploys; .env and installed tools are kept
// Common: --workspace <d>, --target <t>. Exit: 0 done, 1 not confirmed, 2 bad usage, 4 a command failed.
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { platformProject } from '../lib/compose/project.js';
import { FoundationError } from '../lib/errors.js';
import type { TaskContext } from '../lib/model/context.js';
import type { Redactor } from '../lib/redact.js';
import { EXIT } from '../lib/report/exit-codes.js';
import { boundedInt, scriptArgs } from './args.js';
import { confirm } from './ask.js';
import { renderedProject } from './infra/world.js';
import { runScript } from './run-script.js';
import { scriptWorld } from './script-world.js';

const USAGE = 'scripts/platform down|reset [--yes] | logs <service> [--lines N]';
const HELP = `Usage: ${USAGE}

The everyday verbs on the configured target (FOUNDATION_TARGET, or --target):
  down [--yes]                k3d: delete the cluster (asks first); compose: stop the stack, data kept
  logs <service> [--lines N]  a service's last log lines (1-100000, default 200)
  reset [--yes]               delete the platform and its data, and .foundation/runs, reports, deploys
Common: --workspace <dir>, --target k3d|compose|cluster.
Exit: 0 done, 1 not confirmed, 2 bad usage, 4 a command failed.
`;

const confirmDelete = (question: string): Promise<boolean> =>
  confirm(question, {
    message: 'refusing to delete without a terminal to confirm',
    fix: 'pass --yes to do it anyway',
  });

async function stop(ctx: TaskContext, volumes: boolean): Promise<string> {
  if (ctx.target === 'cluster')
    throw new FoundationError(
      'E_USAGE',
      'the cluster target is a cluster Foundation did not create: it does not stop or delete it',
      'remove what Foundation installed with helm uninstall / kubectl delete, or switch targets',
    );
  if (ctx.target === 'k3d') {
    const name = ctx.config.clusterName;
    if (!(await ctx.k3d.clusters()).some((c) => c.name === name))
      return `no k3d cluster ${name}: nothing to delete`;
    await ctx.k3d.delete(name);
    return `deleted the k3d cluster ${name} and its volumes`;
  }
  const p = await renderedProject(ctx);
  if (p === null) return 'the Compose platform was never started here: nothing to stop';
  // Asked first: without the plugin, `docker compose down` prints the docker CLI's whole usage text.
  if ((await ctx.compose.version()) === null)
    throw new FoundationError(
      'E_TOOL_MISSING',
      'docker compose does not answer (docker compose version failed): the Compose v2 plugin is missing, or docker is',
      'install Docker with its Compose v2 plugin (2.20 or newer), then run this again (foundation run 0-1 checks both)',
    );
  await ctx.compose.down(p.project, { volumes });
  return volumes
    ? 'stopped the Compose platform and deleted its volumes'
    : 'stopped the Compose platform; its data is kept';
}

/** A service's last lines, through the redactor: a service may log a value that is in .env. */
async function logs(ctx: TaskContext, service: string, lines: number, redactor: Redactor): Promise<number> {
  if (ctx.target === 'compose') {
    const p = await platformProject(ctx, { stopOnly: true });
    if (!('project' in p))
      throw new FoundationError('E_USAGE', 'the Compose platform was never rendered here', 'task up');
    process.stdout.write(`${redactor.redact(await ctx.compose.logs(p.project, service, lines))}\n`);
    return EXIT.ok;
  }
  // No kubeconfig: said as such, not as kubectl's errors about localhost:8080 (the UIs' port).
  const context = spawnSync('kubectl', ['config', 'current-context'], { encoding: 'utf8' });
  if (context.error === undefined && context.status !== 0)
    throw new FoundationError(
      'E_KUBE_NO_CONFIG',
      `kubectl has no cluster to ask: ${context.stderr.trim().split('\n')[0] ?? ''}`,
      'foundation run 0-2 (creates the k3d cluster and its kubeconfig), set KUBECONFIG, or pick a context: kubectl config use-context <name>',
    );
  const args = ['-n', 'services', 'logs', `deployment/${service}`, '--all-containers', `--tail=${lines}`];
  const out = spawnSync('kubectl', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (out.error !== undefined)
    throw new FoundationError(
      'E_TOOL_MISSING',
      out.error.message,
      'foundation run 0-1 says how to install kubectl',
    );
  process.stdout.write(redactor.redact(out.stdout));
  process.stderr.write(redactor.redact(out.stderr));
  return out.status === 0 ? EXIT.ok : EXIT.taskFailed;
}

async function main(): Promise<number> {
  // --help, usage mistakes and a flag given twice, as every helper script reads its arguments.
  const parsed = scriptArgs(
    {
      allowPositionals: true,
      options: {
        yes: { type: 'boolean', default: false },
        lines: { type: 'string', default: '200' },
        workspace: { type: 'string' },
        target: { type: 'string' },
      },
    },
    HELP,
  );
  const { values, positionals } = parsed;
  const [verb, service] = positionals;
  const { ctx, redactor, workspace } = scriptWorld(values.workspace, {
    FOUNDATION_TARGET: values.target === undefined ? undefined : { value: values.target, source: '--target' },
  });
  const say = (l: string) => {
    ctx.log.warn(l);
  };
  if (verb !== 'down' && verb !== 'reset' && verb !== 'logs')
    throw new FoundationError(
      'E_USAGE',
      verb === undefined ? 'no verb given: down, reset or logs' : `unknown verb "${verb.slice(0, 40)}"`,
      USAGE,
    );
  const extra = positionals.slice(verb === 'logs' ? 2 : 1);
  if (extra.length > 0)
    throw new FoundationError('E_USAGE', `unexpected "${extra.join(' ').slice(0, 60)}" after ${verb}`, USAGE);
  if (verb === 'logs') {
    if (service === undefined) throw new FoundationError('E_USAGE', 'logs needs a service name', USAGE);
    return await logs(ctx, service, boundedInt('--lines', values.lines, 1, 100_000), redactor);
  }
  const destroys = verb === 'reset' || ctx.target === 'k3d';
  if (destroys && !values.yes) {
    const what = ctx.target === 'k3d' ? `the k3d cluster ${ctx.config.clusterName}` : 'the Compose platform';
    if (
      !(await confirmDelete(
        `Delete ${what} with all its data${verb === 'reset' ? ' and the run history' : ''}?`,
      ))
    ) {
      say('not confirmed: nothing was deleted');
      return EXIT.declined;
    }
  }
  process.stdout.write(`${await stop(ctx, verb === 'reset')}\n`);
  if (verb === 'reset') {
    for (const dir of ['runs', 'reports', 'deploys'])
      await rm(join(workspace, '.foundation', dir), { recursive: true, force: true });
    process.stdout.write('removed .foundation/runs, reports and deploys (.env and .foundation/tools kept)\n');
  }
  return EXIT.ok;
}

await runScript('platform', main);
