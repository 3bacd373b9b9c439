// scripts/cluster-destroy: delete the local k3d cluster and everything in it (volumes included).
//   scripts/cluster-destroy [--yes] [--name <cluster>] [--workspace <dir>]
// The name comes from --name, else CLUSTER_NAME as the config loader reads it (.env, then the
// environment), else `foundation`. Asks for the name to be typed unless --yes.
// Exit: 0 deleted or nothing to delete, 1 not confirmed, 2 bad usage, 4 k3d failed or is missing.
import { EXIT } from '../lib/report/exit-codes.js';
import { scriptArgs } from './args.js';
import { ask } from './ask.js';
import { runScript } from './run-script.js';
import { scriptWorld } from './script-world.js';

const USAGE = 'scripts/cluster-destroy [--yes] [--name <cluster>] [--workspace <dir>]';
const HELP = `Usage: ${USAGE}

Deletes the k3d cluster and all its data (volumes included). Asks you to type its name unless --yes.
  --name <cluster>   which cluster (default: CLUSTER_NAME from .env or the environment, else foundation)
  --workspace <dir>  where .env is (default: the git repository around the current folder)
Exit: 0 deleted (or no such cluster), 1 not confirmed, 2 bad usage, 4 k3d failed or is missing.
`;

async function main(): Promise<number> {
  // --help, usage mistakes and a flag given twice, as every helper script reads its arguments.
  const parsed = scriptArgs(
    {
      options: {
        yes: { type: 'boolean', short: 'y', default: false },
        name: { type: 'string' },
        workspace: { type: 'string' },
      },
    },
    HELP,
  );
  const { values } = parsed;
  // --name goes through the same validation as CLUSTER_NAME in .env.
  const { ctx, config } = scriptWorld(values.workspace, {
    CLUSTER_NAME: values.name === undefined ? undefined : { value: values.name, source: '--name' },
  });
  const name = config.clusterName;
  if (!(await ctx.k3d.clusters()).some((c) => c.name === name)) {
    process.stdout.write(`no k3d cluster named ${name}: nothing to do\n`);
    return EXIT.ok;
  }
  if (!values.yes) {
    const answer = await ask(
      `Delete the k3d cluster '${name}' and all its data? Type its name to confirm: `,
      {
        message: `refusing to delete the k3d cluster ${name} without a terminal to confirm`,
        fix: 'pass --yes to delete it anyway',
      },
    );
    if (answer !== name) {
      ctx.log.warn('not confirmed: nothing was deleted');
      return EXIT.declined;
    }
  }
  await ctx.k3d.delete(name);
  process.stdout.write(`deleted the k3d cluster ${name} and its volumes\n`);
  return EXIT.ok;
}

await runScript('cluster-destroy', main);
