import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { usageError } from '../../lib/commands/usage.js';

const GLOBALS = ['--version', '--target', '--concurrency', '--json', '--workspace'];

describe('usage errors', () => {
  it('a mistake in a command points at that command’s help, commander’s code kept as the reason', () => {
    const e = usageError(
      { message: "error: unknown option '--fast'", code: 'commander.unknownOption' },
      'run',
      GLOBALS,
    );
    assert.deepEqual(e, {
      code: 'E_USAGE',
      message: "unknown option '--fast'",
      fix: 'see: foundation run --help',
      reason: 'commander.unknownOption',
      exitCode: 2,
    });
  });

  it('a mistake in a global option points at the program’s help, whatever the command', () => {
    for (const message of [
      "error: option '--target <target>' argument 'mars' is invalid. Allowed choices are k3d, compose, cluster.",
      "error: option '-C, --workspace <path>' argument missing",
    ])
      assert.equal(
        usageError({ message, code: 'commander.invalidArgument' }, 'run', GLOBALS).fix,
        'see: foundation --help',
      );
  });

  it('an option of the command that merely starts like a global one is the command’s', () => {
    const message = "error: option '--targets <list>' argument missing";
    assert.equal(
      usageError({ message, code: 'commander.optionMissingArgument' }, 'deploy', GLOBALS).fix,
      'see: foundation deploy --help',
    );
  });

  it('a misspelt option that commander takes for a global one points at the program’s help', () => {
    const message = "error: unknown option '--verbos'\n(Did you mean --version?)";
    assert.equal(
      usageError({ message, code: 'commander.unknownOption' }, 'list', GLOBALS).fix,
      'see: foundation --help',
    );
    const own = "error: unknown option '--forse'\n(Did you mean --force?)";
    assert.equal(
      usageError({ message: own, code: 'commander.unknownOption' }, 'run', GLOBALS).fix,
      'see: foundation run --help',
    );
    // Several near names: the program's help when all are global, the command's when one is its own.
    const globals = "error: unknown option '--jsn'\n(Did you mean one of --json, --version?)";
    assert.equal(
      usageError({ message: globals, code: 'commander.unknownOption' }, 'list', GLOBALS).fix,
      'see: foundation --help',
    );
    const mixed = "error: unknown option '--forc'\n(Did you mean one of --force, --version?)";
    assert.equal(
      usageError({ message: mixed, code: 'commander.unknownOption' }, 'run', GLOBALS).fix,
      'see: foundation run --help',
    );
  });

  it('a subcommand’s mistake points at the subcommand’s help', () => {
    const message = "error: missing required argument 'name'";
    assert.equal(
      usageError({ message, code: 'commander.missingArgument' }, 'new service', GLOBALS).fix,
      'see: foundation new service --help',
    );
  });
});
