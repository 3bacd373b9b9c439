import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command, CommanderError } from 'commander';
import { refuseRepeatedOptions } from '../../lib/commands/repeated-options.js';

/**
 * A small program shaped like the CLI's: global options, a command with value, flag, list options. No
 * exitOverride: the refusal must reject the parse, not exit the process.
 */
function program(seen: Record<string, unknown>[]): Command {
  const cli = new Command('p')
    .option('--target <target>')
    .option('-C, --workspace <path>')
    .option('--json')
    .option('--color [when]')
    .configureOutput({ outputError: () => undefined });
  cli
    .command('new')
    .option('--dir <path>')
    .option('--with <parts>', 'parts', (v: string, p: string | undefined) => (p ? `${p},${v}` : v))
    .option('--job <ids...>')
    .action((o: Record<string, unknown>) => {
      seen.push({ ...o, ...cli.opts() });
    });
  refuseRepeatedOptions(cli, ['--with']);
  return cli;
}

const mistake = async (argv: string[]): Promise<CommanderError> => {
  const error: unknown = await program([])
    .parseAsync(argv, { from: 'user' })
    .then(
      () => assert.fail(`${argv.join(' ')} was taken`),
      (e: unknown) => e,
    );
  assert.ok(error instanceof CommanderError);
  return error;
};

describe('value options given twice', () => {
  it('a global or a command option given twice, in any spelling, is a usage error naming it', async () => {
    for (const [argv, flags] of [
      [['--target', 'k3d', 'new', '--target', 'compose'], '--target <target>'],
      [['--target=k3d', '--target', 'compose', 'new'], '--target <target>'],
      [['-C', 'a', '--workspace', 'b', 'new'], '-C, --workspace <path>'],
      [['new', '--dir', 'a', '--dir=b'], '--dir <path>'],
    ] as const) {
      const error = await mistake([...argv]);
      assert.equal(error.code, 'commander.repeatedOption');
      assert.equal(error.exitCode, 2);
      assert.equal(error.message, `option '${flags}' is given more than once: give it once`);
    }
  });

  it('options that gather values, flags and optional values may be given again; once is once', async () => {
    const seen: Record<string, unknown>[] = [];
    await program(seen).parseAsync(
      [
        '--json',
        '--json',
        '--color',
        '--color',
        '--target',
        'k3d',
        'new',
        '--with',
        'a',
        '--with',
        'b',
        '--job',
        'x',
        '--job',
        'y',
      ],
      { from: 'user' },
    );
    assert.deepEqual(seen, [{ with: 'a,b', job: ['x', 'y'], json: true, color: true, target: 'k3d' }]);
  });
});
