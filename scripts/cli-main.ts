// The composition root: argv → Config → adapters → command → exit code. Nothing else calls process.exit.
// Loaded by scripts/cli.ts. `list`, `graph` and `--help` load only what they show: every other command's
// modules (the task modules, the adapters, YAML, Kubernetes, Kafka…) are imported when it runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { NO_REQUEST, buildApp, buildView, createRuntime, version, type GlobalOptions } from './cli-app.js';
import { drained, installProcessHooks, reportError, reportUsage } from './process-hooks.js';
import { completionCommand } from '../lib/commands/completion.js';
import { SHELLS, completionScript, isShell } from '../lib/automation/completion.js';
import { specOf } from '../lib/automation/cli-spec.js';
import type { CompletionShell } from '../lib/ports/automation.js';
import { PHASE0 } from '../lib/model/catalogue.js';
import type { App, AppView } from '../lib/commands/app.js';
import { graphCommand, listCommand } from '../lib/commands/show.js';
import { TARGETS } from '../lib/model/task.js';
import { missingCommand, usageError } from '../lib/commands/usage.js';
import { refuseRepeatedOptions } from '../lib/commands/repeated-options.js';
import { addHelpFooters } from '../lib/commands/help.js';
import { EXIT } from '../lib/report/exit-codes.js';
import { jsonLine } from '../lib/report/json-line.js';
import { UI_NAMES } from '../lib/endpoints/list.js';
import { KIT_PARTS } from '../lib/generator/kit-parts.js';

const rt = createRuntime();

function program(setCode: (code: number) => void, json: boolean, helpOut: string[]): Command {
  const cli = new Command('foundation')
    .description('Sets up the Phase 0 platform as a graph of idempotent tasks, and proves it works.')
    .option('-V, --version', 'print the version (with --json: {"v":1,"type":"version",…})')
    .addOption(
      new Option(
        '--target <target>',
        'where the platform runs (default: FOUNDATION_TARGET from the environment or .env, else k3d)',
      ).choices(TARGETS),
    )
    .option('--concurrency <n>', 'how many tasks may work at once (1-16)')
    .option('--json', 'print only versioned JSON lines on stdout ({"v":1,"type":…}), for every command')
    .option(
      '-C, --workspace <path>',
      'the workspace (.env, .foundation/, git repository) (default: the git repository the current folder is in, or a folder inside it set up as one, with .foundation/ and .env; outside a repository the current folder)',
    )
    .showSuggestionAfterError(true)
    // Commander's own "error: …" line is replaced by the coded one main() prints (E_USAGE, with the fix);
    // with --json the help is kept, to go out as one JSON line when it is complete.
    .configureOutput({
      outputError: () => undefined,
      ...(json ? { writeOut: (text: string) => void helpOut.push(text) } : {}),
    })
    .exitOverride();
  // Not commander's .version(): it prints plain text even under --json (given before or after -V).
  cli.on('option:version', () => {
    const foundation = version();
    process.stdout.write(
      json ? jsonLine('version', { foundation, node: process.versions.node }) : `${foundation}\n`,
    );
    throw new CommanderError(EXIT.ok, 'commander.version', foundation);
  });
  // Completion is generated from this command tree; `run` and `plan` complete task ids and names.
  const steps = PHASE0.flatMap((s) => [s.id, s.name]);
  const completion = (shell: CompletionShell): string =>
    completionScript(
      specOf(cli, { run: steps, plan: steps, completion: [...SHELLS, 'install'], open: [...UI_NAMES] }),
      shell,
    );
  const view = (): AppView => buildView(rt, cli.opts<GlobalOptions>());
  const app = (): Promise<App> => buildApp(rt, cli.opts<GlobalOptions>(), NO_REQUEST, completion);
  cli
    .command('list')
    .description('list the tasks: id, name, title, deps, targets')
    .action(() => {
      setCode(listCommand(view()));
    });
  cli
    .command('graph')
    .description('show the task graph, with each task’s outcome in the last run')
    .addOption(
      new Option('--format <format>', 'text tree or Mermaid').choices(['text', 'mermaid']).default('text'),
    )
    .action(async (o: { format: 'text' | 'mermaid' }) => {
      const v = view();
      const { readLatestSummary } = await import('../lib/adapters/run-store.js');
      const warn = (line: string): boolean => process.stderr.write(`foundation: warning: ${line}\n`);
      setCode(graphCommand(v, o.format, readLatestSummary(v.workspace, warn)));
    });
  cli
    .command('plan')
    .argument('[ids...]', 'task ids or names (default: all); their dependencies are included')
    .description('read-only: run the checks and show what would change (exit 3 on drift)')
    .action(async (ids: string[]) => {
      const { planCommand } = await import('../lib/commands/handlers.js');
      setCode(await planCommand(await app(), ids));
    });
  cli
    .command('all')
    .description('converge every task in dependency order')
    .action(async () => {
      const { allCommand } = await import('../lib/commands/handlers.js');
      setCode(await allCommand(await app()));
    });
  cli
    .command('run')
    .argument('<ids...>', 'task ids or names, e.g. 0-3 or redpanda')
    .option('--force', 'apply even when the check says the task is converged')
    .option('--with-deps', 'also converge the dependencies of these tasks')
    .description('redo these steps: check, then apply if needed')
    .action(async (ids: string[], o: { force?: boolean; withDeps?: boolean }) => {
      const { runCommand } = await import('../lib/commands/handlers.js');
      setCode(await runCommand(await app(), ids, { force: o.force === true, withDeps: o.withDeps === true }));
    });
  cli
    .command('new')
    .description('create something from a template')
    .command('service')
    .argument('<name>', 'the service name, a DNS-1035 label (e.g. orders-api)')
    .option('--description <text>', 'one line saying what the service does')
    .option('--dir <path>', 'where to write it (default: services/<name>)')
    .option(
      '--with <parts>',
      `service kit parts, comma-separated (or given again): ${KIT_PARTS.join(', ')}, or all`,
      (value: string, previous: string | undefined) => (previous ? `${previous},${value}` : value),
    )
    .description(
      'generate a service from the template: probes, metrics, traces, Kafka, Dockerfile, manifests',
    )
    .action(async (name: string, o: { description?: string; dir?: string; with?: string }) => {
      const { newServiceCommand } = await import('../lib/commands/new-service.js');
      setCode(newServiceCommand(await app(), name, o));
    });
  cli
    .command('ci')
    .description(
      'run the CI workflow’s steps here, job by job, with each step’s time (.github/workflows/ci.yml)',
    )
    .option('--job <ids...>', 'only these jobs (default: all)')
    .action(async (o: { job?: string[] }) => {
      const [{ ciCommand }, { createScriptRunner }] = await Promise.all([
        import('../lib/commands/ci.js'),
        import('../lib/adapters/script-runner.js'),
      ]);
      const a = await app();
      const out = (text: string): void => {
        if (a.output === 'json') a.stderr(text);
        else a.stdout(text);
      };
      const read = (path: string): string | null => {
        try {
          return readFileSync(join(a.workspace, path), 'utf8');
        } catch {
          return null;
        }
      };
      setCode(
        await ciCommand(
          a,
          { read, runner: createScriptRunner(a.redactor, out, rt.children.spawn), say: out },
          { jobs: o.job ?? [] },
        ),
      );
    });
  cli
    .command('deploy')
    .argument('<service>', 'the service name (services/<name>, or examples/<name> for the demo)')
    .option('--dir <path>', 'the service folder, when it is elsewhere')
    .option(
      '--timeout <duration>',
      'how long the rollout may take: 90s, 5m, or a bare number of seconds',
      '180',
    )
    .description('build, load and roll out one service on the target, then check its health')
    .action(async (service: string, o: { dir?: string; timeout: string }) => {
      const { deployCommand } = await import('../lib/commands/deploy.js');
      setCode(
        await deployCommand(await app(), service, {
          timeout: o.timeout,
          ...(o.dir === undefined ? {} : { dir: o.dir }),
        }),
      );
    });
  cli
    .command('completion')
    .argument('<shell>', 'bash, zsh or fish: print the script; install: write it where your shell loads it')
    .addOption(new Option('--shell <shell>', 'with install: which shell (default: $SHELL)').choices(SHELLS))
    .description('shell completion: commands, options, task ids and names')
    .action(async (what: string, o: { shell?: string }) => {
      // Printing the script reads no workspace: a malformed .env where a shell starts must not break it.
      if (isShell(what)) {
        const script = completion(what);
        process.stdout.write(json ? jsonLine('completion', { shell: what, script }) : script);
        return;
      }
      setCode(
        await completionCommand(await app(), what, {
          ...(o.shell === undefined ? {} : { shell: o.shell }),
          ...(process.env.SHELL === undefined ? {} : { loginShell: process.env.SHELL }),
        }),
      );
    });
  cli
    .command('status')
    .description(
      'every platform UI: its address, up/down/slow, how to log in (exit 3 when one does not answer)',
    )
    .option(
      '--timeout <duration>',
      'how long each probe may take: 5s, 500ms, or a bare number of milliseconds',
      '2000',
    )
    .action(async (o: { timeout: string }) => {
      const { statusCommand } = await import('../lib/commands/status.js');
      setCode(await statusCommand(await app(), o));
    });
  cli
    .command('open')
    .argument('<name>', `the UI: ${UI_NAMES.join(', ')}`)
    .description('open a platform UI in the browser (or print its address when there is none)')
    .action(async (name: string) => {
      const [{ openCommand }, { desktopBrowser }] = await Promise.all([
        import('../lib/commands/open.js'),
        import('../lib/adapters/browser.js'),
      ]);
      const a = await app();
      const browser = desktopBrowser({ cwd: a.workspace, signal: a.signal, spawn: rt.children.spawn });
      setCode(await openCommand(a, name, browser));
    });
  cli
    .command('validate')
    .description('the Phase 0 completion report: every requirement judged with measured evidence')
    .option('--out <dir>', 'write the report there instead of .foundation/reports/<id>/')
    .option('--skip-perf', 'leave out the load measurements (the report says so)')
    .option('--restart-broker', 'restart the broker to prove messages and topics survive (REQ-0.2/AC5)')
    .option(
      '--restart-cluster',
      'stop and start the k3d cluster: start-up time, services survive (REQ-0.1/AC3)',
    )
    .action(
      async (o: { out?: string; skipPerf?: boolean; restartBroker?: boolean; restartCluster?: boolean }) => {
        const [{ validateApp }, { validateCommand }] = await Promise.all([
          import('./cli-app.js'),
          import('../lib/commands/validate.js'),
        ]);
        setCode(await validateCommand(await validateApp(rt, cli.opts<GlobalOptions>(), o, completion)));
      },
    );
  addHelpFooters(cli);
  refuseRepeatedOptions(cli, ['--with']);
  return cli;
}

async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const json = argv.includes('--json');
  const helpOut: string[] = [];
  const cli = program(
    (c) => {
      code = c;
    },
    json,
    helpOut,
  );
  try {
    await cli.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --json --help: the help as one line, {"v":1,"type":"help","text":…}, like every other output.
      if (helpOut.length > 0) process.stdout.write(jsonLine('help', { text: helpOut.join('') }));
      if (error.exitCode === 0) return EXIT.ok;
      // No command (or `help <name>` of none): the help went to stderr; the coded line says what is missing,
      // on stdout too under --json, so a script reading it gets a line.
      if (error.code === 'commander.help') return reportUsage(missingCommand(argv, cli), json, rt.redactor);
      // The command, and its subcommand when one is named (`new service`): the help that explains the mistake.
      const top = cli.commands.find((c) => argv.includes(c.name()));
      const sub = top?.commands.find((c) => argv.includes(c.name()));
      const command =
        top === undefined ? null : sub === undefined ? top.name() : `${top.name()} ${sub.name()}`;
      const globals = cli.options.flatMap((o) => (o.long === undefined ? [] : [o.long]));
      return reportUsage(usageError(error, command, globals), json, rt.redactor);
    }
    return reportError(error, json, rt.redactor);
  }
}

installProcessHooks({
  controller: rt.controller,
  children: rt.children,
  quit: (code) => process.exit(code),
});

process.exitCode = await main(process.argv);
// A cancelled command other than a run (ci, deploy, validate's own steps) leaves no child behind either;
// after a run this finds nothing left (its recap came after the same wait).
if (rt.controller.signal.aborted) await rt.children.settle(rt.graceMs);
// Flush the run's spans; a collector that is away costs the traces, never the command's exit code. The
// exporter's reason goes through the redactor like every other error this process prints.
const lost = await rt.telemetry?.shutdown();
if (lost)
  process.stderr.write(`foundation: the run's traces were not delivered (${rt.redactor.redact(lost)})\n`);
// The command is done: nothing it left open (a socket to a broker that never answered, a client's timer)
// may hold the process on. Its output is drained first (a pipe on macOS is written asynchronously).
await drained();
process.exit(process.exitCode);
