// Every error code in the documented table (docs/onboarding.md, generated from lib/error-meanings.ts)
// and every option the CLI's --help documents is named by at least one test file besides this one: a
// code or flag added without a test fails here. (Named, not proven: each test asserts its behaviour.)
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ERROR_CODES } from '../../lib/errors.js';
import { ROOT, cli, workspace } from '../helpers/cli.js';

const SELF = 'tests/cli/documented-tested.test.ts';
const tests = readdirSync(join(ROOT, 'tests'), { recursive: true, encoding: 'utf8' })
  .map((f) => `tests/${f.split('\\').join('/')}`)
  .filter((f) => f.endsWith('.test.ts') && f !== SELF)
  .map((f) => ({ file: f, text: readFileSync(join(ROOT, f), 'utf8') }));
const named = (pattern: RegExp): boolean => tests.some((t) => pattern.test(t.text));
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** The options of a --help text (not -h/--help), and its subcommands (not `help`). */
function parseHelp(text: string): { options: string[]; commands: string[] } {
  const section = (name: string): string =>
    new RegExp(`\\n${name}:\\n([\\s\\S]*?)(?:\\n\\n|$)`).exec(text)?.[1] ?? '';
  const options = [...section('Options').matchAll(/^ {2}(?:(-[A-Za-z]), )?(--[a-z][a-z-]*)/gm)]
    .flatMap((m) => [m[1], m[2]])
    .filter((o): o is string => o !== undefined && o !== '-h' && o !== '--help');
  const commands = [...section('Commands').matchAll(/^ {2}([a-z][a-z-]*)/gm)]
    .map((m) => m[1] ?? '')
    .filter((c) => c !== 'help');
  return { options, commands };
}

describe('documented codes and flags each have a test', { timeout: 120_000 }, () => {
  it('the documented error-code table lists every code of lib/errors.ts, and a test names each', () => {
    const guide = readFileSync(join(ROOT, 'docs', 'onboarding.md'), 'utf8');
    const documented = [...guide.matchAll(/^\| `(E_[A-Z_]+)` \| (\d+) \|/gm)].map((m) => m[1] ?? '');
    assert.deepEqual(
      documented,
      Object.keys(ERROR_CODES),
      'the table is the code list (task 0-12 renders it)',
    );
    const untested = documented.filter((code) => !named(new RegExp(`\\b${code}\\b`)));
    assert.deepEqual(untested, [], 'error codes no test names');
  });

  it('every option in the --help of the CLI and of each command is named by a test', async () => {
    const ws = workspace();
    const flags = new Map<string, string>(); // flag → where it is documented
    const queue: string[][] = [[]];
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      const r = await cli([...path, '--help'], ws);
      assert.equal(r.code, 0, `${path.join(' ')} --help: ${r.stderr}`);
      const { options, commands } = parseHelp(r.stdout);
      for (const o of options) flags.set(o, `foundation ${[...path, ''].join(' ')}--help`);
      for (const c of commands) queue.push([...path, c]);
    }
    assert.ok(
      flags.has('--with-deps') && flags.has('--restart-broker') && flags.has('-C'),
      [...flags.keys()].join(' '),
    );
    const untested = [...flags].filter(([flag]) =>
      flag.startsWith('--')
        ? !named(new RegExp(`(?<![\\w-])${escape(flag)}(?![\\w-])`))
        : !named(new RegExp(`['"]${escape(flag)}['"]`)),
    );
    assert.deepEqual(untested, [], 'options no test names (option, where documented)');
  });
});
