// scripts/infra-down: stop the Compose platform (task 0-7's project). Data is kept in its named volumes.
//   --volumes       also delete the data (asks first: type the project name; or pass --yes)
//   --yes           do not ask
//   --workspace <d> the workspace whose .env and settings apply (default: the git repository around the current folder)
// Exit: 0 stopped (or nothing to stop), 1 not confirmed, 2 bad usage, 4 Compose failed.
import { scriptArgs } from '../args.js';
import { EXIT } from '../../lib/report/exit-codes.js';
import { composeProjectName } from '../../lib/compose/project.js';
import { ask } from '../ask.js';
import { runScript } from '../run-script.js';
import { infraWorld, renderedProject } from './world.js';

async function confirm(project: string): Promise<boolean> {
  const answer = await ask(
    `Delete every volume of the Compose project '${project}' (metrics, logs, traces, topics, databases)? Type its name to confirm: `,
    {
      message: 'refusing to delete the platform data without a terminal to confirm',
      fix: 'pass --yes to delete it anyway, or leave out --volumes to keep it',
    },
  );
  return answer === project;
}

async function main(): Promise<number> {
  const { values } = scriptArgs(
    {
      options: {
        volumes: { type: 'boolean', default: false },
        yes: { type: 'boolean', short: 'y', default: false },
        workspace: { type: 'string' },
      },
    },
    `Usage: scripts/infra-down [--volumes] [--yes] [--workspace <dir>]

Stops the Compose platform, keeping its data; --volumes deletes the data too (asks you to type the
project's name, unless --yes).
Exit: 0 stopped, 1 not confirmed, 2 bad usage, 4 a command failed.`,
  );
  const { ctx } = infraWorld(values.workspace);
  const p = await renderedProject(ctx);
  if (p === null) {
    process.stdout.write('infra-down: the Compose platform was never started here; nothing to stop\n');
    return EXIT.ok;
  }
  const name = (await composeProjectName(ctx)) ?? 'foundation';
  if (values.volumes && !values.yes && !(await confirm(name))) {
    process.stdout.write('infra-down: not confirmed; nothing stopped, nothing deleted\n');
    return EXIT.declined;
  }
  await ctx.compose.down(p.project, { volumes: values.volumes });
  process.stdout.write(
    values.volumes
      ? `infra-down: stopped ${name} and deleted its volumes\n`
      : `infra-down: stopped ${name}; its data is kept (scripts/infra-up brings it back)\n`,
  );
  return EXIT.ok;
}

await runScript('infra-down', main);
