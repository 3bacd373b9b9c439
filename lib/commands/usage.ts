import { EXIT } from '../report/exit-codes.js';

/**
 * A command-line mistake (unknown option, missing argument, bad choice) as data for `--json`: the code
 * E_USAGE, what commander said, and the help that shows the right form. Pure.
 */
export function usageError(
  error: { readonly message: string; readonly code: string },
  command: string | null,
): { code: 'E_USAGE'; message: string; fix: string; reason: string; exitCode: number } {
  return {
    code: 'E_USAGE',
    message: error.message.replace(/^error:\s*/, '').trim(),
    fix: `see: foundation ${command === null ? '' : `${command} `}--help`,
    // commander's own code (commander.unknownOption, commander.missingArgument…): stable, for scripts.
    reason: error.code,
    exitCode: EXIT.usage,
  };
}
