import { EXIT } from '../report/exit-codes.js';

/**
 * A command-line mistake (unknown command or option, missing argument, bad choice) as a coded error: E_USAGE,
 * what commander said, and the help that shows the right form — the command's, or the program's when the
 * mistake is in a global option. Said on stderr, and as data with `--json`. Pure.
 */
export function usageError(
  error: { readonly message: string; readonly code: string },
  command: string | null,
  /** The program's own long options (`--target`…): a mistake in one is explained by `foundation --help`. */
  globalOptions: readonly string[],
): { code: 'E_USAGE'; message: string; fix: string; reason: string; exitCode: number } {
  const message = error.message.replace(/^error:\s*/, '').trim();
  // commander quotes the option as declared: 'option '--target <target>' argument…', 'option '-C, --workspace…'.
  const inGlobal = globalOptions.some((long) => new RegExp(`option '(?:-\\w, )?${long}\\b`).test(message));
  // A misspelt option commander takes for a global one ("Did you mean --version?", or "Did you mean one
  // of --target, --json?" when every one it names is global): the global help too.
  const suggested = /Did you mean (?:one of )?(--[\w-]+(?:, --[\w-]+)*)\?/.exec(message)?.[1]?.split(', ');
  const global =
    inGlobal || (suggested !== undefined && suggested.every((option) => globalOptions.includes(option)));
  const help = command === null || global ? '' : `${command} `;
  return {
    code: 'E_USAGE',
    message,
    fix: `see: foundation ${help}--help`,
    // commander's own code (commander.unknownOption, commander.missingArgument…): stable, for scripts.
    reason: error.code,
    exitCode: EXIT.usage,
  };
}

/** A command and its subcommands, as commander's Command has them. */
export interface CommandTree {
  readonly commands: readonly CommandTree[];
  name(): string;
}

/**
 * What `foundation` alone, `foundation new` without what to create, or `foundation help <name>` of no
 * command lacks (commander shows the help then): said as E_USAGE. Pure.
 */
export function missingCommand(
  argv: readonly string[],
  program: CommandTree,
): { code: 'E_USAGE'; message: string; fix: string; exitCode: number } {
  const commands = program.commands.map((c) => ({
    name: c.name(),
    subcommands: c.commands.map((s) => s.name()),
  }));
  const usage = (message: string, fix: string) => ({
    code: 'E_USAGE' as const,
    message,
    fix,
    exitCode: EXIT.usage,
  });
  const at = argv.indexOf('help');
  const named = at === -1 ? undefined : argv[at + 1];
  if (named !== undefined && !commands.some((c) => c.name === named))
    return usage(`unknown command "${named}"`, 'foundation --help lists the commands');
  const parent = commands.find((c) => c.subcommands.length > 0 && argv.includes(c.name));
  if (parent !== undefined)
    return usage(
      `foundation ${parent.name} needs one of: ${parent.subcommands.join(', ')}`,
      `see: foundation ${parent.name} --help`,
    );
  return usage('no command given', 'foundation --help lists the commands');
}
