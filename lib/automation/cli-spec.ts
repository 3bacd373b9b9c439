import type { Command, Option } from 'commander';
import type { CommandSpec, CompletionSpec, OptionSpec } from './completion.js';

const optionOf = (o: Option): OptionSpec => ({
  flag: o.long ?? o.short ?? o.flags,
  ...(o.long !== undefined && o.short !== undefined ? { short: o.short } : {}),
  desc: o.description,
  takesValue: o.required || o.optional,
  ...(o.argChoices === undefined ? {} : { values: o.argChoices }),
});

const visible = (o: Option): boolean => !o.hidden && o.long !== '--help' && o.long !== '--version';

/**
 * The completion spec of a commander program: its commands, subcommands and options as declared, plus the
 * words each command's arguments complete to (task ids and names for `run`). Pure.
 */
export function specOf(cli: Command, words: Readonly<Record<string, readonly string[]>>): CompletionSpec {
  const command = (c: Command, path: string): CommandSpec => {
    const subs = c.commands.filter((s) => s.name() !== 'help');
    return {
      name: c.name(),
      desc: c.description(),
      options: c.options.filter(visible).map(optionOf),
      ...(words[path] === undefined ? {} : { words: words[path] }),
      ...(subs.length === 0 ? {} : { subcommands: subs.map((s) => command(s, `${path} ${s.name()}`)) }),
    };
  };
  return {
    program: cli.name(),
    globals: [
      ...cli.options.filter(visible).map(optionOf),
      { flag: '--help', desc: 'show help', takesValue: false },
    ],
    commands: cli.commands.filter((c) => c.name() !== 'help').map((c) => command(c, c.name())),
  };
}
