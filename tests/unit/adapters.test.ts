import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { classifyCommand, failureText } from '../../lib/adapters/command-failure.js';
import { createCompose, parseComposeHashes, parseComposePs } from '../../lib/adapters/compose.js';
import { createDocker, createK3d, parseDockerMemory } from '../../lib/adapters/containers.js';
import { createTools } from '../../lib/adapters/dev-tools.js';
import { createShell } from '../../lib/adapters/shell.js';
import { FoundationError } from '../../lib/errors.js';
import type { ShellResult } from '../../lib/ports/shell.js';
import { silentLog } from '../helpers/fixtures.js';
import { ok, scriptedShell } from '../helpers/scripted-shell.js';

const fail = (exitCode: number, stderr: string): ShellResult => ({ exitCode, stdout: '', stderr });

describe('the one place command failures are classified', () => {
  const fixes = { install: 'sudo apt-get install docker.io', fix: 'see the task log' };
  const cases: [string, ShellResult, 'exited' | 'timeout' | 'cancelled', string | null, RegExp][] = [
    ['success', ok('fine'), 'exited', null, /./],
    [
      'not on PATH',
      fail(127, 'bash: line 1: k3d: command not found'),
      'exited',
      'E_TOOL_MISSING',
      /k3d is not installed/,
    ],
    [
      'not executable',
      fail(126, 'bash: line 1: /usr/bin/k3d: Permission denied'),
      'exited',
      'E_TOOL_BROKEN',
      /installed but cannot run/,
    ],
    [
      'a binary for another CPU',
      fail(1, 'cannot execute binary file: Exec format error'),
      'exited',
      'E_TOOL_BROKEN',
      /cannot run/,
    ],
    [
      'a node package file missing',
      fail(1, "Error: Cannot find module '/pkg/node_modules/lefthook/bin/index.js'"),
      'exited',
      'E_TOOL_BROKEN',
      /cannot run/,
    ],
    [
      'a plain failure',
      fail(1, 'Error: release loki failed\nmore\nmore\nand more'),
      'exited',
      'E_COMMAND_FAILED',
      /exited 1: Error: release loki failed \| more \| more$/,
    ],
    ['a time-out', fail(143, ''), 'timeout', 'E_COMMAND_TIMEOUT', /took too long/],
    ['cancelled', fail(130, ''), 'cancelled', 'E_CANCELLED', /cancelled/],
  ];
  for (const [stderr, args] of [
    ["unknown shorthand flag: 'f' in -f\nSee 'docker --help'.", ['compose', '-f', 'x.yml', 'ps']],
    ["docker: 'compose' is not a docker command.\nSee 'docker --help'", ['compose', 'version']],
    ["docker: 'buildx' is not a docker command.", ['buildx', 'version']],
  ] as const)
    it(`a docker CLI without the ${args[0]} plugin → E_TOOL_MISSING naming the plugin (${args[1]})`, () => {
      const error = classifyCommand('docker', args, fail(125, stderr), 'exited', fixes);
      assert.ok(error instanceof FoundationError);
      assert.deepEqual(
        [error.code, error.message, error.fix],
        [
          'E_TOOL_MISSING',
          `docker ${args[0]} is not installed (the docker CLI has no ${args[0]} plugin)`,
          fixes.install,
        ],
      );
    });

  it('compose itself refusing a flag it lacks stays a failed command, not a missing plugin', () => {
    const error = classifyCommand(
      'docker',
      ['compose', 'up', '--wait'],
      fail(1, 'unknown flag: --wait'),
      'exited',
      fixes,
    );
    assert.equal(error?.code, 'E_COMMAND_FAILED');
  });

  it("the shell adapter's fix for a missing compose plugin is the plugin's install, not docker's", async () => {
    const bin = mkdtempSync(join(tmpdir(), 'no-plugin-'));
    const docker = join(bin, 'docker');
    writeFileSync(docker, `#!/bin/sh\necho "unknown shorthand flag: 'f' in -f" >&2\nexit 125\n`);
    chmodSync(docker, 0o755);
    const sh = createShell({
      cwd: bin,
      signal: new AbortController().signal,
      log: silentLog,
      os: 'linux',
      toolDir: bin,
    });
    const error = await sh.exec('docker', ['compose', '-f', 'x.yml', 'restart', 'redpanda']).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof FoundationError);
    assert.equal(error.code, 'E_TOOL_MISSING');
    assert.match(error.fix ?? '', /docker-compose-plugin/);
    assert.match(error.fix ?? '', /then: foundation run 0-1$/);
  });

  it('output read as data is not written to the task log line by line, only its size; stderr still is', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'data-out-'));
    const tool = join(bin, 'resolved');
    writeFileSync(
      tool,
      '#!/bin/sh\nprintf \'{\\n  "password": "hunter2-not-real"\\n}\\n\'\necho "a warning" >&2\n',
    );
    chmodSync(tool, 0o755);
    const lines: string[] = [];
    const log = {
      info: (l: string) => lines.push(l),
      warn: (l: string) => lines.push(l),
      debug: (l: string) => lines.push(l),
    };
    const sh = createShell({ cwd: bin, signal: new AbortController().signal, log, toolDir: bin });
    const asData = await sh.exec(tool, [], { stream: false, data: true });
    const parsed = JSON.parse(asData.stdout) as { password?: string };
    assert.equal(parsed.password, 'hunter2-not-real', 'the caller gets it whole');
    assert.ok(!lines.some((l) => l.includes('hunter2')), lines.join('\n'));
    assert.ok(
      lines.includes(`${tool}> (${String(asData.stdout.length)} characters of output, read as data)`),
      lines.join('\n'),
    );
    assert.ok(lines.includes(`${tool}! a warning`));
    lines.length = 0;
    await sh.exec(tool, [], { stream: false });
    assert.ok(
      lines.some((l) => l.includes('hunter2')),
      'without it, each line goes to the debug log',
    );
  });

  it('a failure says the tool’s own error first, without the warnings and log lines printed before it', () => {
    // helm 4's stderr on a failed upgrade (the real one, shortened): a klog line with the API server's
    // PodSecurity warning, a structured WARN log, then helm's error.
    const stderr = [
      'I1128 15:55:59.473798    1337 warnings.go:107] "Warning: would violate PodSecurity \\"baseline:latest\\": host namespaces"',
      'level=WARN msg="upgrade failed" name=kube-prometheus-stack error="… cannot change roleRef"',
      'Error: UPGRADE FAILED: ClusterRoleBinding "x" is invalid: roleRef: Invalid value: {…}: cannot change roleRef',
    ].join('\n');
    const error = classifyCommand('helm', ['upgrade', '--install', 'x'], fail(1, stderr), 'exited', fixes);
    assert.equal(
      error?.message,
      'helm upgrade --install x exited 1: Error: UPGRADE FAILED: ClusterRoleBinding "x" is invalid: roleRef: Invalid value: {…}: cannot change roleRef',
    );
    // No stated error: the first lines as they are (a warning may be the only cause given).
    const warnedOnly =
      'W1128 10:00:00.1 1 loader.go:1] Config not found: /x/kubeconfig\nE1128 no resource list';
    assert.equal(
      failureText(warnedOnly),
      'W1128 10:00:00.1 1 loader.go:1] Config not found: /x/kubeconfig | E1128 no resource list',
    );
    assert.equal(
      failureText('context line\nerror: what failed\nmore'),
      'error: what failed | context line | more',
    );
    // logrus text: k3d colours it even into a pipe; Docker Compose writes level=warning.
    const k3d = [
      '\x1b[33mWARN\x1b[0m[0000] no node filter',
      '\x1b[36mINFO\x1b[0m[0001] Prep: Network',
      '\x1b[31mFATA\x1b[0m[0012] Failed to create cluster: port 19092 is in use',
    ].join('\n');
    assert.equal(failureText(k3d), 'FATA[0012] Failed to create cluster: port 19092 is in use');
    const compose = [
      'time="t" level=warning msg="a"',
      'time="t" level=warning msg="b"',
      ' Container x  Waiting',
      'dependency failed to start: container x is unhealthy',
    ];
    assert.equal(
      failureText(compose.join('\n')),
      'time="t" level=warning msg="a" | time="t" level=warning msg="b" | … | dependency failed to start: container x is unhealthy',
      'no stated error: the first lines, and the last',
    );
    assert.equal(
      failureText([...compose, 'time="t" level=error msg="up failed"'].join('\n')),
      'time="t" level=error msg="up failed" | Container x  Waiting | dependency failed to start: container x is unhealthy',
    );
  });

  for (const [name, result, ending, code, message] of cases) {
    it(`${name} → ${code ?? 'no error'}`, () => {
      const error = classifyCommand('k3d', ['cluster', 'create', 'x', '--wait'], result, ending, fixes);
      if (code === null) {
        assert.equal(error, null);
        return;
      }
      assert.ok(error instanceof FoundationError);
      assert.equal(error.code, code);
      assert.match(error.message, message);
      if (code === 'E_TOOL_MISSING') assert.equal(error.fix, fixes.install);
    });
  }
});

describe('adapters read what tools print', () => {
  it('tools: versions from each tool, and whether the Docker daemon answers', async () => {
    const sh = scriptedShell(
      {
        'docker version --format {{.Client.Version}}': ok('28.2.2'),
        'docker version --format {{.Server.Version}}': fail(1, 'Cannot connect to the Docker daemon'),
        'kubectl version --client -o json': ok(
          '{"clientVersion":{"gitVersion":"v1.35.0","platform":"linux/amd64"}}',
        ),
        'helm version --short': ok('v3.17.1+g980d8ac'),
        'node --version': ok('v24.21.0'),
        'git --version': ok('git version 2.39.5'),
      },
      ['docker', 'kubectl', 'helm', 'node', 'git'],
    );
    const probes = Object.fromEntries(
      (await createTools(sh, { binDir: '/ws/.foundation/tools/bin', os: 'linux' }).probe()).map((p) => [
        p.name,
        p,
      ]),
    );
    assert.deepEqual(probes.docker, { name: 'docker', found: true, version: '28.2.2', daemon: null });
    assert.equal(probes.kubectl?.version, '1.35.0');
    assert.equal(probes.helm?.version, '3.17.1');
    assert.deepEqual(probes.k3d, { name: 'k3d', found: false, version: null });
  });

  it('docker: client and engine versions; none at all when docker is not on PATH', async () => {
    const sh = scriptedShell({
      'docker version --format {{.Client.Version}}': ok('28.2.2\n'),
      'docker version --format {{.Server.Version}}': ok('20.10.24+dfsg1\n'),
    });
    assert.deepEqual(await createDocker(sh).version(), { client: '28.2.2', server: '20.10.24' });
    assert.deepEqual(await createDocker(scriptedShell({}, [])).version(), { client: null, server: null });
    // The real CLI with no engine: its own version on stdout, the error on stderr, exit 1 for both.
    const noEngine = scriptedShell({
      'docker version --format {{.Client.Version}}': {
        exitCode: 1,
        stdout: '28.2.2\n',
        stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.',
      },
      'docker version --format {{.Server.Version}}': fail(1, 'Cannot connect to the Docker daemon'),
    });
    assert.deepEqual(await createDocker(noEngine).version(), { client: '28.2.2', server: null });
  });

  it('k3d: clusters from its JSON, and a failing k3d is a coded error', async () => {
    const sh = scriptedShell({
      'k3d cluster list -o json': ok(
        '[{"name":"foundation","serversCount":1,"serversRunning":0,"agentsCount":0}]',
      ),
    });
    assert.deepEqual(await createK3d(sh).clusters(), [{ name: 'foundation', servers: 1, serversRunning: 0 }]);
    const broken = scriptedShell({
      'k3d cluster list -o json': fail(1, 'Cannot connect to the Docker daemon'),
    });
    await assert.rejects(createK3d(broken).clusters(), /E_COMMAND_FAILED|k3d cluster list -o json exited 1/);
  });

  it('compose: ps as JSON lines (Compose 2.21+) or one array (older)', () => {
    const lines =
      '{"Service":"redpanda","State":"running","Health":"healthy"}\n{"Service":"console","State":"exited","Health":""}';
    assert.deepEqual(parseComposePs(lines), [
      { service: 'redpanda', state: 'running', health: 'healthy' },
      { service: 'console', state: 'exited', health: '' },
    ]);
    assert.deepEqual(parseComposePs('[{"Service":"a","State":"running","Health":""}]'), [
      { service: 'a', state: 'running', health: '' },
    ]);
    assert.deepEqual(parseComposePs(''), []);
    const labelled =
      '{"Service":"loki","State":"running","Health":"healthy","Labels":"com.docker.compose.config-hash=abc,foundation.config=sha256:1f,com.docker.compose.service=loki"}';
    assert.deepEqual(parseComposePs(labelled), [
      {
        service: 'loki',
        state: 'running',
        health: 'healthy',
        configHash: 'abc',
        foundationConfig: 'sha256:1f',
      },
    ]);
  });

  it('docker stats: memory in use per container, in MiB whatever the unit', () => {
    assert.deepEqual(
      parseDockerMemory(
        'loki\t120.5MiB / 512MiB\nredpanda\t1.5GiB / 1GiB\nconsole\t2048KiB / 192MiB\nold\t10MB / 1GB\nbroken\t-- / --\n',
      ),
      { loki: 120.5, redpanda: 1536, console: 2, old: 10e6 / 2 ** 20 },
    );
  });

  it('compose: config --hash lines by service', () => {
    assert.deepEqual(parseComposeHashes('loki 1a2b\ntempo 3c4d\n'), { loki: '1a2b', tempo: '3c4d' });
    assert.deepEqual(parseComposeHashes(''), {});
  });

  it('compose: up waits with --wait, a time limit, env files and the profiles asked for', async () => {
    const sh = scriptedShell({ docker: ok('') });
    await createCompose(sh).up(
      { file: '/p/compose/x.yml', envFiles: ['/p/compose/generated/infra.env'], profiles: ['data'] },
      { timeoutS: 300 },
    );
    assert.deepEqual(sh.calls, [
      'docker compose -f /p/compose/x.yml --env-file /p/compose/generated/infra.env --profile data up -d --wait --wait-timeout 300 --remove-orphans',
    ]);
  });

  it('compose: a service’s image from config --format json — its image:, or <project>-<service> for a build', async () => {
    const config = JSON.stringify({
      name: 'foundation',
      services: { 'demo-service': { image: 'foundation/demo-service:compose' }, worker: { build: {} } },
    });
    const compose = createCompose(scriptedShell({ docker: ok(config) }));
    const p = { file: '/p/compose/x.yml' };
    assert.equal(await compose.image(p, 'demo-service'), 'foundation/demo-service:compose');
    assert.equal(await compose.image(p, 'worker'), 'foundation-worker');
    assert.equal(await compose.image(p, 'nosuch'), null);
    assert.equal(await createCompose(scriptedShell({ docker: ok('not json') })).image(p, 'x'), null);
  });
});
