import { EXIT } from '../report/exit-codes.js';

/** The program's own options: a mistake in one of them is explained by `foundation --help`. */
const GLOBAL_OPTION = /option '(?:-C, )?--(?:target|concurrency|json|workspace)\b/;

/**
 * A command-line mistake (unknown command or option, missing argument, bad choice) as a coded error: E_USAGE,
 * what commander said, and the help that shows the right form — the command's, or the program's when the
 * mistake is in a global option. Said on stderr, and as data with `--json`. Pure.
 */
export function usageError(
  error: { readonly message: string; readonly code: string },
  command: string | null,
): { code: 'E_USAGE'; message: string; fix: string; reason: string; exitCode: number } {
  const message = error.message.replace(/^error:\s*/, '').trim();
  const help = command === null || GLOBAL_OPTION.test(message) ? '' : `${command} `;
  return {
    code: 'E_USAGE',
    message,
    fix: `see: foundation ${help}--help`,
    // commander's own code (commander.unknownOption, commander.missingArgument…): stable, for scripts.
    reason: error.code,
    exitCode: EXIT.usage,
  };
}
