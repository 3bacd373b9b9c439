// `--json` everywhere: every command (and a usage error) prints the same versioned envelope on stdout,
// one object per line and nothing else there; drift is data (path, want, have), not only prose.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { PHASE0 } from '../../lib/model/catalogue.js';
import { CLI, cli, workspace } from '../helpers/cli.js';

interface Line {
  readonly v: number;
  readonly type: string;
  readonly [key: string]: unknown;
}

/** stdout as JSON lines; fails when anything else is there. */
function lines(stdout: string): Line[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
}

describe('--json', () => {
  it('list: one versioned line with every Phase 0 step', async () => {
    const r = await cli(['--json', 'list'], workspace());
    assert.equal(r.code, 0, r.stderr);
    const [out, ...rest] = lines(r.stdout);
    assert.deepEqual(rest, []);
    assert.deepEqual([out?.v, out?.type, out?.target], [1, 'list', 'k3d']);
    const tasks = out?.tasks as { id: string; name: string; deps: string[]; implemented: boolean }[];
    assert.deepEqual(
      tasks.map((t) => [t.id, t.name]),
      PHASE0.map((p) => [p.id, p.name]),
      'each with the name run and plan take',
    );
    assert.deepEqual(tasks.find((t) => t.id === '0-3')?.deps, ['0-1', '0-2', '0-7']);
  });

  it('help, of the program or a command, --help or help <command>: one line with the whole text', async () => {
    const ws = workspace();
    for (const [args, first] of [
      [['--json', '--help'], 'Usage: foundation [options] [command]'],
      [['--json', 'run', '--help'], 'Usage: foundation run [options] <ids...>'],
      [['--json', 'help', 'plan'], 'Usage: foundation plan [options] [ids...]'],
    ] as const) {
      const r = await cli([...args], ws);
      assert.equal(r.code, 0, r.stderr);
      const [out, ...rest] = lines(r.stdout);
      assert.deepEqual(rest, [], args.join(' '));
      assert.deepEqual([out?.v, out?.type], [1, 'help']);
      assert.equal(String(out?.text).split('\n')[0], first);
    }
    const program = lines((await cli(['--json', '--help'], ws)).stdout)[0];
    assert.match(String(program?.text), /Exit codes:/, 'the examples and exit codes after the help too');
  });

  it('graph: every Phase 0 id once as a node, an edge per dependency', async () => {
    const r = await cli(['graph', '--json'], workspace());
    assert.equal(r.code, 0, r.stderr);
    const [out] = lines(r.stdout);
    assert.equal(out?.type, 'graph');
    const nodes = out?.nodes as { id: string; built: boolean }[];
    const edges = out?.edges as { from: string; to: string }[];
    assert.deepEqual(nodes.map((n) => n.id).sort(), PHASE0.map((p) => p.id).sort());
    assert.ok(nodes.every((n) => n.built));
    assert.ok(edges.some((e) => e.from === '0-2' && e.to === '0-3'));
  });

  it('graph as text: each id once', async () => {
    const r = await cli(['graph'], workspace());
    const ids = r.stdout.split('\n').flatMap((l) => /^[│├└─ ]*(0-\d+) /.exec(l)?.[1] ?? []);
    assert.deepEqual([...ids].sort(), PHASE0.map((p) => p.id).sort());
  });

  it('plan: drift as data in each task:end event — path, want, have — and no value of .env', async () => {
    const r = await cli(['--json', 'plan', '0-1'], workspace());
    assert.equal(r.code, 3, r.stderr);
    const events = lines(r.stdout);
    assert.ok(events.every((e) => e.v === 1));
    const end = events.find((e) => e.type === 'task:end' && e.id === '0-1');
    assert.equal(end?.outcome, 'would-change');
    assert.deepEqual(end?.changes, [
      { path: '.env', want: 'present', have: null },
      { path: '.gitignore', want: '.env .foundation/', have: null },
      { path: '.git/hooks/pre-commit', want: 'lefthook', have: null },
    ]);
    assert.match(String(end?.reason), /^drift: \.env does not exist — 0-1 writes it from \.env\.example/);
  });

  it('a usage error: E_USAGE as data on stdout, the message on stderr, exit 2', async () => {
    for (const args of [
      ['--json', 'run'],
      ['--json', 'list', '--bogus'],
      ['--json', 'graph', '--format', 'svg'],
    ]) {
      const r = await cli(args, workspace());
      assert.equal(r.code, 2, args.join(' '));
      const [out, ...rest] = lines(r.stdout);
      assert.deepEqual(rest, []);
      assert.deepEqual([out?.v, out?.type, out?.code, out?.exitCode], [1, 'error', 'E_USAGE', 2]);
      assert.match(
        String(out?.message),
        /missing required argument|unknown option|argument 'svg' is invalid/,
      );
      assert.match(String(out?.fix), new RegExp(`foundation ${args[1] ?? ''} --help`));
      assert.match(r.stderr, /^foundation: E_USAGE: /);
    }
  });

  it('no command, no subcommand, help of no command: the help on stderr and an E_USAGE line saying what is missing', async () => {
    for (const [args, message, fix] of [
      [['--json'], 'no command given', 'foundation --help lists the commands'],
      [['--json', 'new'], 'foundation new needs one of: service', 'see: foundation new --help'],
      [['--json', 'help', 'nope'], 'unknown command "nope"', 'foundation --help lists the commands'],
    ] as const) {
      const r = await cli([...args], workspace());
      assert.equal(r.code, 2, args.join(' '));
      assert.deepEqual(lines(r.stdout), [
        { v: 1, type: 'error', code: 'E_USAGE', message, fix, exitCode: 2 },
      ]);
      assert.match(r.stderr, /Usage: foundation/);
      assert.match(r.stderr, new RegExp(`foundation: E_USAGE: ${message}\n`));
    }
  });

  it('completion: the script, or where it was installed, as one completion line', async () => {
    const ws = workspace();
    const printed = await cli(['--json', 'completion', 'bash'], ws);
    assert.equal(printed.code, 0, printed.stderr);
    const [script, ...none] = lines(printed.stdout);
    assert.deepEqual(none, []);
    assert.deepEqual([script?.type, script?.shell], ['completion', 'bash']);
    assert.match(String(script?.script), /^# bash completion for foundation/);
    const installed = await cli(['--json', 'completion', 'install', '--shell', 'fish'], ws);
    assert.equal(installed.code, 0, installed.stderr);
    const [line] = lines(installed.stdout);
    assert.deepEqual([line?.type, line?.shell], ['completion', 'fish']);
    assert.match(String(line?.installed), /\.config\/fish\/completions\/foundation\.fish$/);
  });

  it('an unknown task id: the coded error as data, exit 2', async () => {
    const r = await cli(['--json', 'run', 'nope'], workspace());
    assert.equal(r.code, 2);
    const [out] = lines(r.stdout);
    assert.deepEqual([out?.type, out?.code, out?.exitCode], ['error', 'E_UNKNOWN_TASK', 2]);
  });
});

describe('help', () => {
  it('foundation --help: examples, the exit-code table and the environment, FOUNDATION_DEBUG among it', async () => {
    const r = await cli(['--help'], workspace());
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Examples:\n {2}\$ foundation list$/m);
    assert.match(r.stdout, /^Exit codes:\n {2}0 +converged[^]*^ {2}130 +cancelled/m);
    assert.match(r.stdout, /^ {2}FOUNDATION_DEBUG +1: print the stack trace/m);
    assert.match(r.stdout, /^ {2}NO_COLOR /m);
  });

  it('each command’s --help: its own examples and the exit codes', async () => {
    const ws = workspace();
    for (const [args, example] of [
      [['run', '--help'], 'foundation run redpanda --with-deps'],
      [['new', 'service', '--help'], 'foundation new service orders-api'],
      [['validate', '--help'], 'foundation validate --skip-perf'],
    ] as const) {
      const r = await cli([...args], ws);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.includes(`$ ${example}`), `${args.join(' ')}:\n${r.stdout}`);
      assert.match(r.stdout, /^Exit codes:$/m);
    }
  });
});

describe('colours', () => {
  /** The CLI on a pseudo-terminal (util-linux script), as a user's shell runs it. */
  const onTerminal = (args: string, env: Record<string, string>): string => {
    const ws = workspace();
    const command = `node ${JSON.stringify(CLI)} ${args}`;
    return spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: ws.dir,
      encoding: 'utf8',
      env: {
        PATH: `${dirname(process.execPath)}:${ws.path}:/usr/bin:/bin`,
        HOME: ws.dir,
        TERM: 'xterm-256color',
        ...env,
      },
    }).stdout;
  };

  it('on a terminal the header is styled; NO_COLOR, a pipe and --json have none', async () => {
    const ESC = '\u001b[';
    assert.ok(onTerminal('list', {}).includes(`${ESC}1mid`), 'the header, bold');
    assert.ok(!onTerminal('list', { NO_COLOR: '1' }).includes(ESC));
    assert.ok(!onTerminal('--json list', {}).includes(ESC));
    assert.ok(!(await cli(['list'], workspace())).stdout.includes(ESC));
  });
});
