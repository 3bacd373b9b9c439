// The global flags and the options no other CLI test drives, on the built CLI in a workspace with fake
// tools (no server): what each one changes in the run (the run:start line of --json), its bad values
// (exit 2, the coded error with its fix, and the JSON error line), and `completion install --shell`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, cli, workspace } from '../helpers/cli.js';

interface Line {
  readonly type: string;
  readonly [key: string]: unknown;
}
const jsonLines = (stdout: string): Line[] =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
const ofType = (lines: Line[], type: string): Line[] => lines.filter((l) => l.type === type);
const endOf = (lines: Line[], id: string): Line | undefined =>
  ofType(lines, 'task:end').find((l) => l.id === id);

describe('CLI flags (built CLI, fake tools)', { timeout: 120_000 }, () => {
  it('-V and --version print the package version, as a JSON line with --json', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const ws = workspace();
    for (const flag of ['-V', '--version']) {
      const r = await cli([flag], ws);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${version}\n`);
      for (const args of [
        ['--json', flag],
        [flag, '--json'],
      ]) {
        const j = await cli(args, ws);
        assert.equal(j.code, 0, j.stderr);
        assert.deepEqual(jsonLines(j.stdout), [
          { v: 1, type: 'version', foundation: version, node: process.versions.node },
        ]);
      }
    }
  });

  it('run without --with-deps only checks a dependency (a gate); with it, converges it first', async () => {
    const ws = workspace();
    // 0-2 on compose: provided by 0-7 there, so skipped itself; its dependency 0-1 is what is watched.
    const gated = await cli(['--json', '--target', 'compose', 'run', '0-2'], ws);
    const g = jsonLines(gated.stdout);
    assert.deepEqual(ofType(g, 'run:start')[0]?.gates, ['0-1'], gated.stdout);
    assert.equal(endOf(g, '0-1')?.outcome, 'would-change', 'checked, not applied');
    assert.equal(existsSync(join(ws.dir, '.env')), false, '0-1 did not write .env');
    assert.equal(gated.code, 4, 'the dependency is not converged');

    const withDeps = await cli(['--json', '--target', 'compose', 'run', '0-2', '--with-deps'], ws);
    const w = jsonLines(withDeps.stdout);
    assert.deepEqual(ofType(w, 'run:start')[0]?.gates, []);
    assert.equal(endOf(w, '0-1')?.outcome, 'changed', withDeps.stdout);
    assert.equal(endOf(w, '0-2')?.outcome, 'skipped', '0-7 provides the cluster’s part on compose');
    assert.ok(existsSync(join(ws.dir, '.env')), '0-1 wrote .env');
    assert.equal(withDeps.code, 0, withDeps.stderr);
  });

  it('run of a step the target does not have: exit 2 with the command for its target, nothing run', async () => {
    const ws = workspace();
    const r = await cli(['run', '0-7'], ws);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /E_USAGE: task 0-7 is not part of the k3d target \(0-7 is for compose\)/);
    assert.match(r.stderr, /fix: run it on its target: foundation --target compose run 0-7/);
    assert.equal(existsSync(join(ws.dir, '.foundation', 'runs')), false, 'no run was recorded');
  });

  it('--target and --concurrency reach the run (over the defaults)', async () => {
    const ws = workspace();
    const r = await cli(['--json', '--target', 'compose', '--concurrency', '3', 'plan', '0-8'], ws);
    const start = ofType(jsonLines(r.stdout), 'run:start')[0];
    assert.equal(start?.target, 'compose', r.stdout);
    assert.equal(start?.concurrency, 3);
    const plain = await cli(['--json', 'plan', '0-8'], ws);
    const defaults = ofType(jsonLines(plain.stdout), 'run:start')[0];
    assert.equal(defaults?.target, 'k3d');
    assert.equal(defaults?.concurrency, 4);
  });

  it('--concurrency out of range: exit 2, E_CONFIG_INVALID naming the flag, nothing run', async () => {
    const ws = workspace();
    for (const value of ['0', '17', 'lots']) {
      const r = await cli(['--concurrency', value, 'run', '0-1'], ws);
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /^foundation: E_CONFIG_INVALID: invalid configuration \(values are never shown\):\n/,
      );
      assert.match(
        r.stderr,
        /- FOUNDATION_CONCURRENCY \(from --concurrency\): expected a whole number from 1 to 16/,
      );
      assert.match(r.stderr, /\n {2}fix: correct the value\(s\) named above/);
      assert.equal(existsSync(join(ws.dir, '.env')), false, 'nothing was run');
    }
    const json = await cli(['--json', '--concurrency', '17', 'list'], ws);
    assert.equal(json.code, 2);
    const [line, ...more] = jsonLines(json.stdout);
    assert.equal(more.length, 0, 'one line');
    assert.deepEqual(
      { v: line?.v, type: line?.type, code: line?.code, exitCode: line?.exitCode },
      { v: 1, type: 'error', code: 'E_CONFIG_INVALID', exitCode: 2 },
    );
    assert.match(String(line?.fix), /correct the value/);
    // Given empty (a shell variable that was not set): a mistake, not the default.
    const empty = await cli(['--concurrency', '', 'run', '0-1'], ws);
    assert.equal(empty.code, 2, empty.stderr);
    assert.match(
      empty.stderr,
      /^foundation: E_USAGE: --concurrency is empty\n {2}fix: give it a whole number from 1 to 16/,
    );
    assert.equal(existsSync(join(ws.dir, '.env')), false, 'nothing was run');
    // An empty -C would be the current folder, not the repository around it.
    const noWorkspace = await cli(['-C', '', 'run', '0-1'], ws);
    assert.equal(noWorkspace.code, 2, noWorkspace.stderr);
    assert.match(noWorkspace.stderr, /^foundation: E_USAGE: --workspace is empty/);
  });

  it('--target not a target: exit 2, E_USAGE naming the choices (as a JSON line with --json)', async () => {
    const ws = workspace();
    const r = await cli(['--target', 'nope', 'list'], ws);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /'nope' is invalid\. Allowed choices are k3d, compose, cluster/);
    assert.equal(r.stdout, '');
    const json = await cli(['--json', '--target', 'nope', 'list'], ws);
    assert.equal(json.code, 2);
    const line = jsonLines(json.stdout)[0];
    assert.equal(line?.code, 'E_USAGE');
    assert.equal(line?.exitCode, 2);
    assert.match(String(line?.message), /Allowed choices are k3d, compose, cluster/);
  });

  it('a value option given twice: exit 2, E_USAGE naming it, nothing run (commander kept the last)', async () => {
    const ws = workspace();
    const r = await cli(['--target', 'k3d', '--target', 'compose', 'run', '0-1'], ws);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_USAGE: option '--target <target>' is given more than once: give it once/);
    assert.match(r.stderr, /fix: see: foundation --help/);
    assert.equal(existsSync(join(ws.dir, '.env')), false, '0-1 did not run');
    const json = await cli(['--json', 'new', 'service', 'orders', '--dir', 'a', '--dir', 'b'], ws);
    assert.equal(json.code, 2);
    const line = jsonLines(json.stdout)[0];
    assert.equal(line?.code, 'E_USAGE');
    assert.equal(line?.fix, 'see: foundation new service --help');
    assert.equal(existsSync(join(ws.dir, 'a')) || existsSync(join(ws.dir, 'b')), false);
  });

  it('completion install --shell wins over $SHELL', async () => {
    const ws = workspace();
    const r = await cli(['completion', 'install', '--shell', 'fish'], ws, { SHELL: '/bin/tcsh' });
    assert.equal(r.code, 0, r.stderr);
    const file = join(ws.dir, '.config', 'fish', 'completions', 'foundation.fish');
    assert.match(r.stdout, new RegExp(`^installed the fish completion: ${file}\\n`));
    assert.match(readFileSync(file, 'utf8'), /complete -c foundation/);
    const bad = await cli(['completion', 'install', '--shell', 'tcsh'], ws);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /'tcsh' is invalid\. Allowed choices are bash, zsh, fish/);
  });

  it('a file where Foundation keeps its folders: E_FOLDER_UNUSABLE naming it, with the fix, and the file kept', async () => {
    const ws = workspace();
    writeFileSync(join(ws.dir, '.foundation'), 'my notes\n');
    const r = await cli(['--json', 'plan', '0-12'], ws);
    assert.equal(r.code, 2, r.stderr);
    const error = ofType(jsonLines(r.stdout), 'error')[0];
    assert.equal(error?.code, 'E_FOLDER_UNUSABLE');
    assert.match(
      String(error.message),
      /\.foundation is a file, not a folder \(where each run keeps its logs\)/,
    );
    assert.match(String(error.fix), /^move .*\.foundation aside/);
    assert.equal(readFileSync(join(ws.dir, '.foundation'), 'utf8'), 'my notes\n');

    writeFileSync(join(ws.dir, '.zfunc'), 'not a folder\n'); // HOME is the workspace here
    const zsh = await cli(['completion', 'install', '--shell', 'zsh'], ws);
    assert.equal(zsh.code, 2, zsh.stderr);
    assert.match(
      zsh.stderr,
      /E_FOLDER_UNUSABLE: .*\.zfunc is a file, not a folder \(where zsh loads completions from\)/,
    );
    assert.equal(readFileSync(join(ws.dir, '.zfunc'), 'utf8'), 'not a folder\n');
  });

  it('completion <shell> prints its script even where .env is malformed (a shell may start there)', async () => {
    const ws = workspace();
    writeFileSync(join(ws.dir, '.env'), 'A LINE WITHOUT AN EQUALS SIGN\n');
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await cli(['completion', shell], ws);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /foundation/);
    }
    const list = await cli(['list'], ws);
    assert.equal(list.code, 2, 'commands that read settings still say what is wrong with .env');
    assert.match(list.stderr, /E_ENV_FILE_MALFORMED/);
  });
});
