import { CommanderError, type Command } from 'commander';
import { EXIT } from '../report/exit-codes.js';

/**
 * Commander keeps the last value of an option given twice: `--target k3d … --target compose` ran on
 * compose without a word. A value option given more than once is a usage mistake instead (E_USAGE, with
 * the help that shows it), unless it gathers its values: variadic (`--job a b`), or named in
 * `repeatable` (`--with grpc --with auth`). Flags (`--json --json`) change nothing when repeated and are
 * left alone, as are options whose value is optional. The error is thrown (the caller's parse rejects). Counts on every command's option events, so call it once per parse, on a fresh program.
 */
export function refuseRepeatedOptions(program: Command, repeatable: readonly string[] = []): void {
  const visit = (command: Command): void => {
    for (const option of command.options) {
      // Only options that require a value: one whose value is optional (`--color [when]`) is a flag too.
      if (!option.required || option.variadic || repeatable.includes(option.long ?? '')) continue;
      let given = 0;
      command.on(`option:${option.name()}`, () => {
        given += 1;
        // Thrown, not command.error(): that exits the process on a program without exitOverride.
        if (given > 1)
          throw new CommanderError(
            EXIT.usage,
            'commander.repeatedOption',
            `option '${option.flags}' is given more than once: give it once`,
          );
      });
    }
    for (const sub of command.commands) visit(sub);
  };
  visit(program);
}
