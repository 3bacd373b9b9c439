import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Command, Option } from 'commander';
import { specOf } from '../../lib/automation/cli-spec.js';
import { completionScript } from '../../lib/automation/completion.js';
import {
  makefileTargets,
  renderMakefile,
  renderTaskfile,
  taskfileTargets,
} from '../../lib/automation/render.js';
import { ALL_TARGETS, COMMON, GO_TASK, requiredNames } from '../../lib/automation/targets.js';
import { RELEASES } from '../../lib/prereqs/pins.js';
import { ROOT } from '../helpers/cli.js';
import { endpoints, waitReport } from '../../lib/automation/wait.js';
import { PHASE0 } from '../../lib/model/catalogue.js';

describe('Taskfile and Makefile targets', () => {
  it('a target per step and per step name, and the everyday commands; no name twice', () => {
    const names = requiredNames(ALL_TARGETS);
    for (const s of PHASE0) assert.ok(names.includes(s.id) && names.includes(s.name), s.id);
    for (const c of [
      'up',
      'down',
      'status',
      'test',
      'lint',
      'bench',
      'ci',
      'validate',
      'new-service',
      'logs',
      'reset',
    ])
      assert.ok(names.includes(c), c);
    assert.equal(new Set(names).size, names.length, 'unique');
    // 0-8's and 0-13's names are everyday commands: `task ci` is the pipeline, `task 0-8` the step.
    assert.equal(ALL_TARGETS.find((t) => t.name === '0-8')?.aliases, undefined);
    assert.deepEqual(ALL_TARGETS.find((t) => t.name === '0-3')?.aliases, ['redpanda']);
    for (const t of ALL_TARGETS) assert.ok(t.desc.length > 5, `${t.name} has a desc`);
  });

  it('the Taskfile and the Makefile read back to exactly those targets', () => {
    assert.deepEqual(
      new Set(taskfileTargets(renderTaskfile(ALL_TARGETS))),
      new Set(requiredNames(ALL_TARGETS)),
    );
    assert.deepEqual(
      new Set(makefileTargets(renderMakefile(ALL_TARGETS))),
      new Set([...requiredNames(ALL_TARGETS), 'help']),
    );
    assert.equal(taskfileTargets('tasks: ['), null);
    assert.deepEqual(makefileTargets('A := 1\n.PHONY: x\nx:\n\t@true\n'), ['x']);
  });

  it('quotes what YAML or go-task would misread, and forwards make arguments after --', () => {
    const t = [{ name: 'say', desc: "it's: a test", cmds: ["echo '{{.CLI_ARGS}}'"] }];
    assert.match(
      renderTaskfile(t),
      /^ {2}'say':\n {4}desc: 'it''s: a test'\n {4}cmds:\n {6}- 'echo ''\{\{\.CLI_ARGS\}\}'''$/m,
    );
    assert.match(
      renderMakefile(t),
      /^say:\n\t@\$\(if \$\(TASK\),,\$\(error \$\(NO_TASK\)\)\)\$\(TASK\) say -- \$\(ARGS\)$/m,
    );
    assert.ok(COMMON[0]?.name === 'default', 'plain `task` lists the steps');
  });
});

describe('shell completion from the command tree', () => {
  const program = () => {
    const cli = new Command('foundation').addOption(
      new Option('--target <t>', 'where').choices(['k3d', 'compose']),
    );
    cli.option('-C, --workspace <path>', 'the workspace');
    cli.command('run').argument('<ids...>').option('--force', 'apply anyway').description('redo steps');
    cli
      .command('new')
      .description('create')
      .command('service')
      .option('--dir <path>', 'where')
      .description('a service');
    return cli;
  };

  it('reads commands, subcommands, options, choices and short flags from commander', () => {
    const spec = specOf(program(), { run: ['0-1', 'dev-setup'] });
    assert.deepEqual(
      spec.globals.map((g) => [g.flag, g.short, g.takesValue, g.values]),
      [
        ['--target', undefined, true, ['k3d', 'compose']],
        ['--workspace', '-C', true, undefined],
        ['--help', undefined, false, undefined],
      ],
    );
    assert.deepEqual(
      spec.commands.map((c) => [c.name, c.words, c.options.map((o) => o.flag)]),
      [
        ['run', ['0-1', 'dev-setup'], ['--force']],
        ['new', undefined, []],
      ],
    );
    assert.equal(spec.commands[1]?.subcommands?.[0]?.options[0]?.flag, '--dir');
  });

  it('bash and zsh share one candidate function; fish gets complete lines', () => {
    const spec = specOf(program(), { run: ['0-1', 'dev-setup'] });
    const bash = completionScript(spec, 'bash');
    assert.match(bash, /^ {6}--target\|--workspace\|-C\|--dir\) skip=1 ;;$/m);
    assert.match(bash, /^ {4}run\) echo '0-1 dev-setup --force' ;;$/m);
    assert.match(bash, /^complete -F _foundation foundation$/m);
    const zsh = completionScript(spec, 'zsh');
    assert.match(zsh, /^#compdef foundation\n/);
    assert.ok(zsh.includes(bash.split('\n').slice(1, 10).join('\n')), 'the same candidate function');
    const fish = completionScript(spec, 'fish');
    assert.match(fish, /^complete -c foundation -l target -r -x -a 'k3d compose' -d 'where'$/m);
    assert.match(fish, /^complete -c foundation -l workspace -s C -r -d 'the workspace'$/m);
    assert.match(fish, /^complete -c foundation -n "__fish_seen_subcommand_from run" -a '0-1 dev-setup'$/m);
  });
});

describe('wait-for-infra planning', () => {
  const urls = {
    demo: null,
    prometheus: 'http://127.0.0.1:9090/',
    loki: null,
    traces: { url: 'http://127.0.0.1:16686', api: 'jaeger' as const },
    console: null,
    grafana: 'http://127.0.0.1:3000',
  };

  it('the brokers by TCP, each backend by its readiness path at the address given', () => {
    assert.deepEqual(endpoints(['localhost:19092'], { ...urls, loki: 'http://127.0.0.1:3100' }, 'compose'), [
      { name: 'broker localhost:19092', kind: 'tcp', host: 'localhost', port: 19092 },
      { name: 'prometheus', kind: 'http', url: 'http://127.0.0.1:9090/-/ready' },
      { name: 'grafana', kind: 'http', url: 'http://127.0.0.1:3000/api/health' },
      { name: 'loki', kind: 'http', url: 'http://127.0.0.1:3100/ready' },
      { name: 'jaeger', kind: 'http', url: 'http://127.0.0.1:16686/' },
    ]);
  });

  const none = { demo: null, prometheus: null, loki: null, traces: null, console: null, grafana: null };
  const proxied = (name: string, service: string, port: number, path: string) => ({
    name,
    kind: 'service',
    namespace: 'infra',
    service,
    port,
    path,
  });

  it('k3d without settings: the UIs by their Ingress, Loki and Tempo through the Kubernetes API', () => {
    assert.deepEqual(endpoints(['127.0.0.1:19092'], none, 'k3d').slice(1), [
      { name: 'prometheus', kind: 'http', url: 'http://prometheus.localhost:8080/-/ready' },
      { name: 'grafana', kind: 'http', url: 'http://grafana.localhost:8080/api/health' },
      proxied('loki', 'loki', 3100, '/ready'),
      proxied('tempo', 'tempo', 3200, '/ready'),
    ]);
  });

  it('cluster without settings: every backend through the Kubernetes API; a setting still wins', () => {
    const given = { ...none, loki: 'http://logs.example:3100' };
    assert.deepEqual(endpoints([], given, 'cluster'), [
      proxied('prometheus', 'kube-prometheus-stack-prometheus', 9090, '/-/ready'),
      proxied('grafana', 'kube-prometheus-stack-grafana', 80, '/api/health'),
      { name: 'loki', kind: 'http', url: 'http://logs.example:3100/ready' },
      proxied('tempo', 'tempo', 3200, '/ready'),
    ]);
  });

  it('the report says when each came up, and which are missing with the fix', () => {
    const r = waitReport(
      [
        { name: 'prometheus', up: true, ms: 3_200, detail: 'x' },
        { name: 'loki', up: false, ms: 0, detail: 'no address: set LOKI_URL in .env' },
      ],
      120_000,
    );
    assert.equal(r.ok, false);
    assert.match(r.text, /^✔ prometheus +up after 3\.2 s$/m);
    assert.match(r.text, /^✖ loki +no address: set LOKI_URL in \.env$/m);
    assert.match(r.text, /^missing after 120\.0 s: loki$/m);
    assert.equal(waitReport([{ name: 'a', up: true, ms: 1, detail: '' }], 1_000).ok, true);
  });
});

describe('go-task pin', () => {
  it('is the version scripts/test-servers/install installs for the tests', () => {
    const script = readFileSync(join(ROOT, 'scripts', 'test-servers', 'install'), 'utf8');
    assert.equal(GO_TASK.version, /^GO_TASK_VERSION=(\S+)$/m.exec(script)?.[1]);
    assert.equal(
      GO_TASK.version,
      RELEASES.find((r) => r.name === 'go-task')?.version,
      'task 0-1 pins the same',
    );
  });
});
