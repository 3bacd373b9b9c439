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
